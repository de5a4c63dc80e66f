# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_promise_global_optspecs
    string join \n h/help V/version
end

function __fish_promise_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_promise_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_promise_using_subcommand
    set -l cmd (__fish_promise_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c promise -n "__fish_promise_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_needs_command" -s V -l version -d 'Print version'
complete -c promise -n "__fish_promise_needs_command" -f -a "add" -d 'Record a promise and say its deadline back in full'
complete -c promise -n "__fish_promise_needs_command" -f -a "when" -d 'Resolve a deadline phrase exactly as `add` would, and store nothing'
complete -c promise -n "__fish_promise_needs_command" -f -a "list" -d 'List open promises, soonest deadline first'
complete -c promise -n "__fish_promise_needs_command" -f -a "show" -d 'Show one promise with its full history'
complete -c promise -n "__fish_promise_needs_command" -f -a "done" -d 'Mark a promise kept'
complete -c promise -n "__fish_promise_needs_command" -f -a "slip" -d 'Renegotiate a promise\'s deadline'
complete -c promise -n "__fish_promise_needs_command" -f -a "cancel" -d 'Withdraw a promise'
complete -c promise -n "__fish_promise_needs_command" -f -a "edit" -d 'Fix a promise\'s details. A deadline change is only ever a `slip`'
complete -c promise -n "__fish_promise_needs_command" -f -a "reopen" -d 'Undo a `done` or `cancel` made by mistake: the promise is open again'
complete -c promise -n "__fish_promise_needs_command" -f -a "report" -d 'The reliability report: what needs attention, and how reliably you keep your word'
complete -c promise -n "__fish_promise_needs_command" -f -a "prompt" -d 'The shell-prompt segment: "!2 ⏳1" for 2 overdue and 1 due soon, nothing when all is calm'
complete -c promise -n "__fish_promise_needs_command" -f -a "init" -d 'Print the shell code that puts the prompt segment in front of your prompt'
complete -c promise -n "__fish_promise_needs_command" -f -a "nag" -d 'Send the reminders that are due now; run it every few minutes from cron or a systemd timer'
complete -c promise -n "__fish_promise_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c promise -n "__fish_promise_needs_command" -f -a "sync" -d 'Share the store with your other machines, or a team, through git'
complete -c promise -n "__fish_promise_needs_command" -f -a "merge-driver" -d 'Merge one store file the way `promise sync` does; git runs it (set up by `sync init`) when you `git pull` in the data directory yourself'
complete -c promise -n "__fish_promise_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c promise -n "__fish_promise_using_subcommand add" -l to -d 'The customer you promised it to' -r
complete -c promise -n "__fish_promise_using_subcommand add" -l due -d 'The deadline: "tuesday 14:00", "tomorrow noon", "25.11. 14:00", "in 2 hours"' -r
complete -c promise -n "__fish_promise_using_subcommand add" -l contact -d 'The person at the customer you promised it to' -r
complete -c promise -n "__fish_promise_using_subcommand add" -l ref -d 'A reference: ticket, email subject, order number' -r
complete -c promise -n "__fish_promise_using_subcommand add" -l tz -d 'The customer\'s IANA time zone; the deadline is read and kept in it' -r
complete -c promise -n "__fish_promise_using_subcommand add" -l note -d 'A free-form note' -r
complete -c promise -n "__fish_promise_using_subcommand add" -l allow-past -d 'Accept a deadline in the past, to record history'
complete -c promise -n "__fish_promise_using_subcommand add" -s q -l quiet -d 'Print only the new promise\'s id'
complete -c promise -n "__fish_promise_using_subcommand add" -l json -d 'Print the new promise as JSON'
complete -c promise -n "__fish_promise_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand when" -l tz -d 'Read the phrase in this IANA time zone' -r
complete -c promise -n "__fish_promise_using_subcommand when" -l allow-past -d 'Accept a deadline in the past'
complete -c promise -n "__fish_promise_using_subcommand when" -l json -d 'Print {"due": "<RFC 3339>"}'
complete -c promise -n "__fish_promise_using_subcommand when" -s h -l help -d 'Print help'
complete -c promise -n "__fish_promise_using_subcommand list" -l customer -d 'Only this customer\'s promises (case-insensitive; part of the name is enough)' -r
complete -c promise -n "__fish_promise_using_subcommand list" -l due-within -d 'Only promises due within this long, such as 2h, 3d, 1w (overdue ones included)' -r
complete -c promise -n "__fish_promise_using_subcommand list" -l by -d 'Only promises made by this person (part of the name or email is enough; `all`: everyone). In a store shared with `promise sync`, the default is your own' -r
complete -c promise -n "__fish_promise_using_subcommand list" -l overdue -d 'Only promises past their deadline'
complete -c promise -n "__fish_promise_using_subcommand list" -l all -d 'Closed promises too (reads the archive)'
complete -c promise -n "__fish_promise_using_subcommand list" -l json -d 'Print the promises as a JSON array'
complete -c promise -n "__fish_promise_using_subcommand list" -s h -l help -d 'Print help'
complete -c promise -n "__fish_promise_using_subcommand show" -l json
complete -c promise -n "__fish_promise_using_subcommand show" -s h -l help -d 'Print help'
complete -c promise -n "__fish_promise_using_subcommand done" -l at -d 'When it was delivered, if not now: "yesterday 15:30", "today 9:00", "2 hours ago"' -r
complete -c promise -n "__fish_promise_using_subcommand done" -l note -d 'A note on the delivery, added to the promise\'s note' -r
complete -c promise -n "__fish_promise_using_subcommand done" -l json
complete -c promise -n "__fish_promise_using_subcommand done" -s h -l help -d 'Print help'
complete -c promise -n "__fish_promise_using_subcommand slip" -l to -d 'The new deadline, as for `add --due`' -r
complete -c promise -n "__fish_promise_using_subcommand slip" -l reason -d 'Why it moved; worth writing down while it is fresh' -r
complete -c promise -n "__fish_promise_using_subcommand slip" -l json
complete -c promise -n "__fish_promise_using_subcommand slip" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand cancel" -l reason -d 'Why it was withdrawn' -r
complete -c promise -n "__fish_promise_using_subcommand cancel" -l json
complete -c promise -n "__fish_promise_using_subcommand cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand edit" -l what -d 'What was promised' -r
complete -c promise -n "__fish_promise_using_subcommand edit" -l to -d 'The customer' -r
complete -c promise -n "__fish_promise_using_subcommand edit" -l contact -r
complete -c promise -n "__fish_promise_using_subcommand edit" -l ref -r
complete -c promise -n "__fish_promise_using_subcommand edit" -l note -r
complete -c promise -n "__fish_promise_using_subcommand edit" -l due -d 'Not here: deadlines change with `promise slip ID --to PHRASE`' -r
complete -c promise -n "__fish_promise_using_subcommand edit" -l json
complete -c promise -n "__fish_promise_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand reopen" -l reason -d 'Why it is open again' -r
complete -c promise -n "__fish_promise_using_subcommand reopen" -l json -d 'Print the reopened promise as JSON'
complete -c promise -n "__fish_promise_using_subcommand reopen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand report" -l since -d 'Score only promises due since then: a duration back from now (30d, 12w) or a date (2026-01-01)' -r
complete -c promise -n "__fish_promise_using_subcommand report" -l customer -d 'Only this customer (case-insensitive; part of the name is enough)' -r
complete -c promise -n "__fish_promise_using_subcommand report" -l by -d 'Only promises made by this person, in a store shared with `promise sync` (part of the name or email is enough). The default is everyone' -r
complete -c promise -n "__fish_promise_using_subcommand report" -l format -d 'Output format' -r -f -a "table\t''
markdown\t''
csv\t''
json\t''"
complete -c promise -n "__fish_promise_using_subcommand report" -l json -d 'Same as --format json'
complete -c promise -n "__fish_promise_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand prompt" -l format -d 'A template with {overdue}, {soon} (due within [prompt] soon, 2h unless set) and {next} (time to the next deadline, such as 1h20m)' -r
complete -c promise -n "__fish_promise_using_subcommand prompt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand nag" -l via -d 'Where reminders go: a desktop notification (falling back to stdout), only the desktop, or only stdout. Overrides PROMISE_NOTIFY' -r -f -a "auto\t''
desktop\t''
stdout\t''"
complete -c promise -n "__fish_promise_using_subcommand nag" -l dry-run -d 'Show what would be sent, send nothing and record nothing'
complete -c promise -n "__fish_promise_using_subcommand nag" -l json -d 'Print the reminders sent (or due, with --dry-run) as a JSON array'
complete -c promise -n "__fish_promise_using_subcommand nag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand completions" -s h -l help -d 'Print help'
complete -c promise -n "__fish_promise_using_subcommand sync; and not __fish_seen_subcommand_from init help" -s q -l quiet -d 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)'
complete -c promise -n "__fish_promise_using_subcommand sync; and not __fish_seen_subcommand_from init help" -l json -d 'Print what the sync did as JSON'
complete -c promise -n "__fish_promise_using_subcommand sync; and not __fish_seen_subcommand_from init help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand sync; and not __fish_seen_subcommand_from init help" -f -a "init" -d 'Share this store through a git remote: set up, then sync once'
complete -c promise -n "__fish_promise_using_subcommand sync; and not __fish_seen_subcommand_from init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c promise -n "__fish_promise_using_subcommand sync; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)'
complete -c promise -n "__fish_promise_using_subcommand sync; and __fish_seen_subcommand_from init" -l json -d 'Print what the sync did as JSON'
complete -c promise -n "__fish_promise_using_subcommand sync; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand sync; and __fish_seen_subcommand_from help" -f -a "init" -d 'Share this store through a git remote: set up, then sync once'
complete -c promise -n "__fish_promise_using_subcommand sync; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c promise -n "__fish_promise_using_subcommand merge-driver" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "add" -d 'Record a promise and say its deadline back in full'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "when" -d 'Resolve a deadline phrase exactly as `add` would, and store nothing'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "list" -d 'List open promises, soonest deadline first'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "show" -d 'Show one promise with its full history'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "done" -d 'Mark a promise kept'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "slip" -d 'Renegotiate a promise\'s deadline'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "cancel" -d 'Withdraw a promise'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "edit" -d 'Fix a promise\'s details. A deadline change is only ever a `slip`'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "reopen" -d 'Undo a `done` or `cancel` made by mistake: the promise is open again'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "report" -d 'The reliability report: what needs attention, and how reliably you keep your word'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "prompt" -d 'The shell-prompt segment: "!2 ⏳1" for 2 overdue and 1 due soon, nothing when all is calm'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "init" -d 'Print the shell code that puts the prompt segment in front of your prompt'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "nag" -d 'Send the reminders that are due now; run it every few minutes from cron or a systemd timer'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "completions" -d 'Print shell completions'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "sync" -d 'Share the store with your other machines, or a team, through git'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "merge-driver" -d 'Merge one store file the way `promise sync` does; git runs it (set up by `sync init`) when you `git pull` in the data directory yourself'
complete -c promise -n "__fish_promise_using_subcommand help; and not __fish_seen_subcommand_from add when list show done slip cancel edit reopen report prompt init nag completions sync merge-driver help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c promise -n "__fish_promise_using_subcommand help; and __fish_seen_subcommand_from sync" -f -a "init" -d 'Share this store through a git remote: set up, then sync once'
