
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'promise' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'promise'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'promise' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Record a promise and say its deadline back in full')
            [CompletionResult]::new('when', 'when', [CompletionResultType]::ParameterValue, 'Resolve a deadline phrase exactly as `add` would, and store nothing')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List open promises, soonest deadline first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one promise with its full history')
            [CompletionResult]::new('done', 'done', [CompletionResultType]::ParameterValue, 'Mark a promise kept')
            [CompletionResult]::new('slip', 'slip', [CompletionResultType]::ParameterValue, 'Renegotiate a promise''s deadline')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Withdraw a promise')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Fix a promise''s details. A deadline change is only ever a `slip`')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Undo a `done` or `cancel` made by mistake: the promise is open again')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'The reliability report: what needs attention, and how reliably you keep your word')
            [CompletionResult]::new('prompt', 'prompt', [CompletionResultType]::ParameterValue, 'The shell-prompt segment: "!2 ⏳1" for 2 overdue and 1 due soon, nothing when all is calm')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the shell code that puts the prompt segment in front of your prompt')
            [CompletionResult]::new('nag', 'nag', [CompletionResultType]::ParameterValue, 'Send the reminders that are due now; run it every few minutes from cron or a systemd timer')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Share the store with your other machines, or a team, through git')
            [CompletionResult]::new('merge-driver', 'merge-driver', [CompletionResultType]::ParameterValue, 'Merge one store file the way `promise sync` does; git runs it (set up by `sync init`) when you `git pull` in the data directory yourself')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'promise;add' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The customer you promised it to')
            [CompletionResult]::new('--due', '--due', [CompletionResultType]::ParameterName, 'The deadline: "tuesday 14:00", "tomorrow noon", "25.11. 14:00", "in 2 hours"')
            [CompletionResult]::new('--contact', '--contact', [CompletionResultType]::ParameterName, 'The person at the customer you promised it to')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'A reference: ticket, email subject, order number')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'The customer''s IANA time zone; the deadline is read and kept in it')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A free-form note')
            [CompletionResult]::new('--allow-past', '--allow-past', [CompletionResultType]::ParameterName, 'Accept a deadline in the past, to record history')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the new promise''s id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the new promise''s id')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the new promise as JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;when' {
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Read the phrase in this IANA time zone')
            [CompletionResult]::new('--allow-past', '--allow-past', [CompletionResultType]::ParameterName, 'Accept a deadline in the past')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"due": "<RFC 3339>"}')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promise;list' {
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only this customer''s promises (case-insensitive; part of the name is enough)')
            [CompletionResult]::new('--due-within', '--due-within', [CompletionResultType]::ParameterName, 'Only promises due within this long, such as 2h, 3d, 1w (overdue ones included)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Only promises made by this person (part of the name or email is enough; `all`: everyone). In a store shared with `promise sync`, the default is your own')
            [CompletionResult]::new('--overdue', '--overdue', [CompletionResultType]::ParameterName, 'Only promises past their deadline')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Closed promises too (reads the archive)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the promises as a JSON array')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promise;show' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promise;done' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When it was delivered, if not now: "yesterday 15:30", "today 9:00", "2 hours ago"')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note on the delivery, added to the promise''s note')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promise;slip' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The new deadline, as for `add --due`')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why it moved; worth writing down while it is fresh')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;cancel' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why it was withdrawn')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;edit' {
            [CompletionResult]::new('--what', '--what', [CompletionResultType]::ParameterName, 'What was promised')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The customer')
            [CompletionResult]::new('--contact', '--contact', [CompletionResultType]::ParameterName, 'contact')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'ref')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'note')
            [CompletionResult]::new('--due', '--due', [CompletionResultType]::ParameterName, 'Not here: deadlines change with `promise slip ID --to PHRASE`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;reopen' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why it is open again')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the reopened promise as JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;report' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Score only promises due since then: a duration back from now (30d, 12w) or a date (2026-01-01)')
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only this customer (case-insensitive; part of the name is enough)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Only promises made by this person, in a store shared with `promise sync` (part of the name or email is enough). The default is everyone')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;prompt' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'A template with {overdue}, {soon} (due within [prompt] soon, 2h unless set) and {next} (time to the next deadline, such as 1h20m)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;init' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;nag' {
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Where reminders go: a desktop notification (falling back to stdout), only the desktop, or only stdout. Overrides PROMISE_NOTIFY')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be sent, send nothing and record nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the reminders sent (or due, with --dry-run) as a JSON array')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promise;sync' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what the sync did as JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Share this store through a git remote: set up, then sync once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'promise;sync;init' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing unless promises came in, a value was replaced or something needs a look (cron mails whatever a job prints)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what the sync did as JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;sync;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Share this store through a git remote: set up, then sync once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'promise;sync;help;init' {
            break
        }
        'promise;sync;help;help' {
            break
        }
        'promise;merge-driver' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promise;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Record a promise and say its deadline back in full')
            [CompletionResult]::new('when', 'when', [CompletionResultType]::ParameterValue, 'Resolve a deadline phrase exactly as `add` would, and store nothing')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List open promises, soonest deadline first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one promise with its full history')
            [CompletionResult]::new('done', 'done', [CompletionResultType]::ParameterValue, 'Mark a promise kept')
            [CompletionResult]::new('slip', 'slip', [CompletionResultType]::ParameterValue, 'Renegotiate a promise''s deadline')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Withdraw a promise')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Fix a promise''s details. A deadline change is only ever a `slip`')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Undo a `done` or `cancel` made by mistake: the promise is open again')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'The reliability report: what needs attention, and how reliably you keep your word')
            [CompletionResult]::new('prompt', 'prompt', [CompletionResultType]::ParameterValue, 'The shell-prompt segment: "!2 ⏳1" for 2 overdue and 1 due soon, nothing when all is calm')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the shell code that puts the prompt segment in front of your prompt')
            [CompletionResult]::new('nag', 'nag', [CompletionResultType]::ParameterValue, 'Send the reminders that are due now; run it every few minutes from cron or a systemd timer')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Share the store with your other machines, or a team, through git')
            [CompletionResult]::new('merge-driver', 'merge-driver', [CompletionResultType]::ParameterValue, 'Merge one store file the way `promise sync` does; git runs it (set up by `sync init`) when you `git pull` in the data directory yourself')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'promise;help;add' {
            break
        }
        'promise;help;when' {
            break
        }
        'promise;help;list' {
            break
        }
        'promise;help;show' {
            break
        }
        'promise;help;done' {
            break
        }
        'promise;help;slip' {
            break
        }
        'promise;help;cancel' {
            break
        }
        'promise;help;edit' {
            break
        }
        'promise;help;reopen' {
            break
        }
        'promise;help;report' {
            break
        }
        'promise;help;prompt' {
            break
        }
        'promise;help;init' {
            break
        }
        'promise;help;nag' {
            break
        }
        'promise;help;completions' {
            break
        }
        'promise;help;sync' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Share this store through a git remote: set up, then sync once')
            break
        }
        'promise;help;sync;init' {
            break
        }
        'promise;help;merge-driver' {
            break
        }
        'promise;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
