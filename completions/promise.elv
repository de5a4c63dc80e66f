
use builtin;
use str;

set edit:completion:arg-completer[promise] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'promise'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'promise'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Record a promise and say its deadline back in full'
            cand when 'Resolve a deadline phrase exactly as `add` would, and store nothing'
            cand list 'List open promises, soonest deadline first'
            cand show 'Show one promise with its full history'
            cand done 'Mark a promise kept'
            cand slip 'Renegotiate a promise''s deadline'
            cand cancel 'Withdraw a promise'
            cand edit 'Fix a promise''s details. A deadline change is only ever a `slip`'
            cand reopen 'Undo a `done` or `cancel` made by mistake: the promise is open again'
            cand report 'The reliability report: what needs attention, and how reliably you keep your word'
            cand prompt 'The shell-prompt segment: "!2 ⏳1" for 2 overdue and 1 due soon, nothing when all is calm'
            cand init 'Print the shell code that puts the prompt segment in front of your prompt'
            cand nag 'Send the reminders that are due now; run it every few minutes from cron or a systemd timer'
            cand completions 'Print shell completions'
            cand sync 'Share the store with your other machines, or a team, through git'
            cand merge-driver 'Merge one store file the way `promise sync` does; git runs it (set up by `sync init`) when you `git pull` in the data directory yourself'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'promise;add'= {
            cand --to 'The customer you promised it to'
            cand --due 'The deadline: "tuesday 14:00", "tomorrow noon", "25.11. 14:00", "in 2 hours"'
            cand --contact 'The person at the customer you promised it to'
            cand --ref 'A reference: ticket, email subject, order number'
            cand --tz 'The customer''s IANA time zone; the deadline is read and kept in it'
            cand --note 'A free-form note'
            cand --allow-past 'Accept a deadline in the past, to record history'
            cand -q 'Print only the new promise''s id'
            cand --quiet 'Print only the new promise''s id'
            cand --json 'Print the new promise as JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;when'= {
            cand --tz 'Read the phrase in this IANA time zone'
            cand --allow-past 'Accept a deadline in the past'
            cand --json 'Print {"due": "<RFC 3339>"}'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promise;list'= {
            cand --customer 'Only this customer''s promises (case-insensitive; part of the name is enough)'
            cand --due-within 'Only promises due within this long, such as 2h, 3d, 1w (overdue ones included)'
            cand --by 'Only promises made by this person (part of the name or email is enough; `all`: everyone). In a store shared with `promise sync`, the default is your own'
            cand --overdue 'Only promises past their deadline'
            cand --all 'Closed promises too (reads the archive)'
            cand --json 'Print the promises as a JSON array'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promise;show'= {
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promise;done'= {
            cand --at 'When it was delivered, if not now: "yesterday 15:30", "today 9:00", "2 hours ago"'
            cand --note 'A note on the delivery, added to the promise''s note'
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promise;slip'= {
            cand --to 'The new deadline, as for `add --due`'
            cand --reason 'Why it moved; worth writing down while it is fresh'
            cand --json 'json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;cancel'= {
            cand --reason 'Why it was withdrawn'
            cand --json 'json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;edit'= {
            cand --what 'What was promised'
            cand --to 'The customer'
            cand --contact 'contact'
            cand --ref 'ref'
            cand --note 'note'
            cand --due 'Not here: deadlines change with `promise slip ID --to PHRASE`'
            cand --json 'json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;reopen'= {
            cand --reason 'Why it is open again'
            cand --json 'Print the reopened promise as JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;report'= {
            cand --since 'Score only promises due since then: a duration back from now (30d, 12w) or a date (2026-01-01)'
            cand --customer 'Only this customer (case-insensitive; part of the name is enough)'
            cand --by 'Only promises made by this person, in a store shared with `promise sync` (part of the name or email is enough). The default is everyone'
            cand --format 'Output format'
            cand --json 'Same as --format json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;prompt'= {
            cand --format 'A template with {overdue}, {soon} (due within [prompt] soon, 2h unless set) and {next} (time to the next deadline, such as 1h20m)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;init'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;nag'= {
            cand --via 'Where reminders go: a desktop notification (falling back to stdout), only the desktop, or only stdout. Overrides PROMISE_NOTIFY'
            cand --dry-run 'Show what would be sent, send nothing and record nothing'
            cand --json 'Print the reminders sent (or due, with --dry-run) as a JSON array'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promise;sync'= {
            cand -q 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)'
            cand --quiet 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)'
            cand --json 'Print what the sync did as JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand init 'Share this store through a git remote: set up, then sync once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'promise;sync;init'= {
            cand -q 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)'
            cand --quiet 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)'
            cand --json 'Print what the sync did as JSON'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;sync;help'= {
            cand init 'Share this store through a git remote: set up, then sync once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'promise;sync;help;init'= {
        }
        &'promise;sync;help;help'= {
        }
        &'promise;merge-driver'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promise;help'= {
            cand add 'Record a promise and say its deadline back in full'
            cand when 'Resolve a deadline phrase exactly as `add` would, and store nothing'
            cand list 'List open promises, soonest deadline first'
            cand show 'Show one promise with its full history'
            cand done 'Mark a promise kept'
            cand slip 'Renegotiate a promise''s deadline'
            cand cancel 'Withdraw a promise'
            cand edit 'Fix a promise''s details. A deadline change is only ever a `slip`'
            cand reopen 'Undo a `done` or `cancel` made by mistake: the promise is open again'
            cand report 'The reliability report: what needs attention, and how reliably you keep your word'
            cand prompt 'The shell-prompt segment: "!2 ⏳1" for 2 overdue and 1 due soon, nothing when all is calm'
            cand init 'Print the shell code that puts the prompt segment in front of your prompt'
            cand nag 'Send the reminders that are due now; run it every few minutes from cron or a systemd timer'
            cand completions 'Print shell completions'
            cand sync 'Share the store with your other machines, or a team, through git'
            cand merge-driver 'Merge one store file the way `promise sync` does; git runs it (set up by `sync init`) when you `git pull` in the data directory yourself'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'promise;help;add'= {
        }
        &'promise;help;when'= {
        }
        &'promise;help;list'= {
        }
        &'promise;help;show'= {
        }
        &'promise;help;done'= {
        }
        &'promise;help;slip'= {
        }
        &'promise;help;cancel'= {
        }
        &'promise;help;edit'= {
        }
        &'promise;help;reopen'= {
        }
        &'promise;help;report'= {
        }
        &'promise;help;prompt'= {
        }
        &'promise;help;init'= {
        }
        &'promise;help;nag'= {
        }
        &'promise;help;completions'= {
        }
        &'promise;help;sync'= {
            cand init 'Share this store through a git remote: set up, then sync once'
        }
        &'promise;help;sync;init'= {
        }
        &'promise;help;merge-driver'= {
        }
        &'promise;help;help'= {
        }
    ]
    $completions[$command]
}
