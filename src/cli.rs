//! The command line, as clap derive types. The doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Keep the promises you make to customers.
///
/// Record a promise right after you make it, with a concrete deadline; promise says the
/// deadline back in full, reminds you before it, and measures how reliably you keep your word.
#[derive(Debug, Parser)]
#[command(name = "promise", version, about, long_about, max_term_width = 100)]
#[command(after_help = "Examples:
  promise add \"Send revised proposal\" --to \"Acme Oy\" --due \"Tuesday 14:00\"
  promise list
  promise done 7kq
  promise report

With no command, promise lists the open promises (promise list).

Environment: PROMISE_DATA_DIR (the store), PROMISE_CONFIG (the config file), PROMISE_NOW (an RFC \
3339 instant used as now), PROMISE_NOTIFY (auto, desktop, stdout, none), TZ, NO_COLOR.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// When to colour the output: auto (only on a terminal, and not with NO_COLOR), always,
    /// never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Colour even in a pipe (and despite NO_COLOR).
    Always,
    /// No colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record a promise and say its deadline back in full.
    ///
    /// The deadline is a concrete phrase, in English or Finnish: "tuesday 14:00", "tomorrow noon",
    /// "25.11. 14:00", "in 3 days", "eow", "perjantaihin klo 12 mennessä". Vague ones ("asap",
    /// "next week", "pian") and ambiguous ones ("next friday", "midnight", "15.12") are refused
    /// with a concrete alternative. A date without a time gets the default deadline time (16:00
    /// unless `default_time` is set in the config).
    Add(Lazy<AddArgs>),
    /// Resolve a deadline phrase exactly as `add` would, and store nothing.
    ///
    /// English and Finnish, and the two mixed: "friday 14:00", "in 3 business days", "eom",
    /// "the 3rd", "huomenna klo 9", "viikon päästä", "3. joulukuuta". "15.12" alone is refused
    /// (15 December or 15:12?): write "15.12." for the date and "15:12" or "klo 15.12" for the time.
    /// The deadline said back can be pasted back in.
    When(Lazy<WhenArgs>),
    /// List open promises, soonest deadline first.
    ///
    /// A promise past its agreed deadline is overdue, also after a slip made too late: that sets a
    /// new target but the lateness stays until the promise is kept.
    List(Lazy<ListArgs>),
    /// Show one promise with its full history.
    Show(Lazy<ShowArgs>),
    /// Mark a promise kept.
    Done(Lazy<DoneArgs>),
    /// Renegotiate a promise's deadline.
    ///
    /// The first deadline is kept as `original_due` and the slip is recorded. A slip agreed before
    /// the deadline moves the deadline the score measures against; a slip after it has passed does
    /// not: lateness cannot be renegotiated away.
    Slip(Lazy<SlipArgs>),
    /// Withdraw a promise.
    ///
    /// Withdrawn before its deadline, a promise is not scored; after it, it counts as broken.
    Cancel(Lazy<CancelArgs>),
    /// Fix a promise's details. A deadline change is only ever a `slip`.
    ///
    /// An empty value clears an optional field: --contact "".
    Edit(Lazy<EditArgs>),
    /// Undo a `done` or `cancel` made by mistake: the promise is open again.
    ///
    /// The close that was undone stays in the promise's history (`reopened`: when, what it had
    /// become, when it was closed, and why it was reopened).
    Reopen(Lazy<ReopenArgs>),
    /// The reliability report: what needs attention, and how reliably you keep your word.
    ///
    /// Lists the promises overdue now, due in the next 24 hours and closed in the last 24 hours,
    /// then one row per customer, worst score first: promises scored, on time, late, broken, open,
    /// on-time rate against the agreed and the first deadline, average lateness, the reliability
    /// score (0-100, recent promises weigh more) and its change over 30 days. Made for a daily cron
    /// mail: no colour unless stdout is a terminal.
    Report(Lazy<ReportArgs>),
    /// The shell-prompt segment: "!2 ⏳1" for 2 overdue and 1 due soon, nothing when all is calm.
    ///
    /// Runs on every prompt, so it reads only open.toml, takes no lock, writes nothing, never prints
    /// to stderr and always exits 0. A store it cannot read shows as "promise?".
    Prompt(Lazy<PromptArgs>),
    /// Print the shell code that puts the prompt segment in front of your prompt.
    ///
    /// bash: eval "$(promise init bash)" in ~/.bashrc; zsh: eval "$(promise init zsh)" in
    /// ~/.zshrc; fish: promise init fish | source in ~/.config/fish/config.fish. Your prompt is kept;
    /// loading it twice adds the segment once.
    Init(Lazy<InitArgs>),
    /// Send the reminders that are due now; run it every few minutes from cron or a systemd timer.
    ///
    /// Each open promise gets each reminder once: every [nag] lead before its deadline (1d, 2h,
    /// 15m unless set), at the deadline, and every [nag] overdue_every (1d) while it stays open.
    /// A run that comes late sends only the most urgent one. Desktop notifications need a
    /// notification service; without one (cron, a server) the reminder is printed on stdout, which
    /// cron mails, and counts as sent: the next run does not repeat it.
    Nag(Lazy<NagArgs>),
    /// The customers known, however their names were typed, with open and scored promises.
    ///
    /// "acme oy", "Acme Oy" and "ACME  OY" are one customer (Unicode case folding, white space
    /// collapsed); the first spelling stored is the one shown.
    Customers(Lazy<CustomersArgs>),
    /// Print shell completions: subcommands, flags, and ids and customers from the store.
    ///
    /// The script asks `promise` for candidates at each TAB, so ids and customer names are always
    /// the current ones; it only reads the store.
    Completions(Lazy<CompletionsArgs>),
    /// Write your open promises as an iCalendar file, for a calendar to import or subscribe to.
    ///
    /// One event per open promise at its deadline, in the customer's zone when it has one, with an
    /// alarm for each [nag] lead. Each event's UID holds the promise's id, so a calendar that
    /// re-imports the file, or subscribes to it, updates events instead of duplicating them.
    Export(Lazy<ExportArgs>),
    /// Share the store with your other machines, or a team, through git.
    ///
    /// `promise sync init REMOTE` makes the data directory a git repository (or uses the one
    /// there), adds REMOTE, and sets git up to merge the store's files promise by promise; on an
    /// empty store it takes the remote's promises (a clone). Then `promise sync` commits what
    /// changed here, fetches, merges by promise id, commits the merge and pushes, and says what it
    /// brought in. A field changed on both machines keeps the newer value, and the other goes into
    /// the promise's history. Uses your git, with its credentials and config, and never prompts:
    /// safe from cron. A failed fetch or push changes nothing in the store.
    Sync(Lazy<SyncArgs>),
    /// Merge one store file the way `promise sync` does; git runs it (set up by `sync init`) when
    /// you `git pull` in the data directory yourself.
    ///
    /// Follows git's merge-driver contract: the result is written to OURS, and the exit code is 0
    /// for a clean merge. It never writes a conflict marker: a field changed on both sides keeps
    /// the newer commit's value and records the other in the promise's history.
    MergeDriver(Lazy<MergeDriverArgs>),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example: promise add \"Send revised proposal\" --to \"Acme Oy\" --due \"Tuesday 14:00\""
)]
pub struct AddArgs {
    /// What you promised.
    #[arg(required_unless_present = "from_email")]
    pub what: Option<String>,
    /// The customer you promised it to.
    #[arg(
        long = "to",
        value_name = "CUSTOMER",
        required_unless_present = "from_email"
    )]
    pub customer: Option<String>,
    /// The deadline: "tuesday 14:00", "tomorrow noon", "25.11. 14:00", "in 2 hours",
    /// "maanantaina klo 12".
    #[arg(long, value_name = "PHRASE", required_unless_present = "from_email")]
    pub due: Option<String>,
    /// The person at the customer you promised it to.
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// A reference: ticket, email subject, order number.
    #[arg(long = "ref", value_name = "TEXT")]
    pub reference: Option<String>,
    /// The customer's IANA time zone; the deadline is read and kept in it.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// A free-form note.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Accept a deadline in the past, to record history.
    #[arg(long)]
    pub allow_past: bool,
    /// Print only the new promise's id.
    #[arg(long, short, conflicts_with = "json")]
    pub quiet: bool,
    /// Print the new promise as JSON (its store fields).
    #[arg(long)]
    pub json: bool,
    /// Take the promise from an email you sent: a saved .eml file, or `-` (or nothing) to read
    /// it from stdin, as mutt or aerc pipe it. The contact is its first To:, the ref its
    /// Message-ID, what its Subject, the customer the one earlier promises to that address
    /// domain went to (or [customers] in the config), and the deadline the one you wrote in
    /// your own text, read as of the Date: it was sent. WHAT, --to and --due override them.
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        default_missing_value = "-",
        help_heading = "From an email"
    )]
    pub from_email: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  promise when \"next friday\"              # refused: this Friday or next week's? both are shown
  promise when \"maanantaina klo 12\" --json
  promise when \"friday 9:00\" --tz America/New_York")]
pub struct WhenArgs {
    /// The phrase to resolve.
    pub phrase: String,
    /// Read the phrase in this IANA time zone.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Accept a deadline in the past.
    #[arg(long)]
    pub allow_past: bool,
    /// Print {"due": "<RFC 3339>"}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Default, Args)]
pub struct ListArgs {
    /// Only this customer's promises (case and spacing do not matter; part of the name is
    /// enough).
    #[arg(long, value_name = "CUSTOMER")]
    pub customer: Option<String>,
    /// Only promises past their deadline.
    #[arg(long)]
    pub overdue: bool,
    /// Only promises due within this long, such as 2h, 3d, 1w (overdue ones included).
    #[arg(long, value_name = "DURATION")]
    pub due_within: Option<String>,
    /// Closed promises too (reads the archive).
    #[arg(long)]
    pub all: bool,
    /// Only promises made by this person (part of the name or email is enough; `all`:
    /// everyone). In a store shared with `promise sync`, the default is your own.
    #[arg(long, value_name = "PERSON")]
    pub by: Option<String>,
    /// Print the promises as a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The promise's id, or a unique prefix of it (at least 3 characters).
    pub id: String,
    /// Print the promise as JSON (its store fields).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The promise's id, or a unique prefix of it (at least 3 characters).
    pub id: String,
    /// When it was delivered, if not now: "yesterday 15:30", "today 9:00", "2 hours ago".
    /// Never in the future, nor before the promise was made.
    #[arg(long, value_name = "PHRASE")]
    pub at: Option<String>,
    /// A note on the delivery, added to the promise's note.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Print the kept promise as JSON (its store fields).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SlipArgs {
    /// The promise's id, or a unique prefix of it (at least 3 characters).
    pub id: String,
    /// The new deadline, as for `add --due`.
    #[arg(long = "to", value_name = "PHRASE")]
    pub due: String,
    /// Why it moved; worth writing down while it is fresh.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Print the slipped promise as JSON (its store fields).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The promise's id, or a unique prefix of it (at least 3 characters).
    pub id: String,
    /// Why it was withdrawn.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Print the cancelled promise as JSON (its store fields).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The promise's id, or a unique prefix of it (at least 3 characters).
    pub id: String,
    /// What was promised.
    #[arg(long, value_name = "TEXT")]
    pub what: Option<String>,
    /// The customer.
    #[arg(long, value_name = "CUSTOMER")]
    pub customer: Option<String>,
    /// The person at the customer; "" clears it.
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// A reference: ticket, email subject, order number; "" clears it.
    #[arg(long = "ref", value_name = "TEXT")]
    pub reference: Option<String>,
    /// A free-form note, replacing the old one; "" clears it.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Not here: `--to` is the customer in `add` and the deadline in `slip`, so `edit` takes
    /// neither meaning and says to use --customer or `promise slip`.
    #[arg(long, hide = true, value_name = "VALUE", allow_hyphen_values = true)]
    pub to: Option<String>,
    /// Not here: deadlines change with `promise slip ID --to PHRASE`.
    #[arg(long, hide = true, value_name = "PHRASE", allow_hyphen_values = true)]
    pub due: Option<String>,
    /// Print the edited promise as JSON (its store fields).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Example: promise reopen 7kq --reason \"marked done by mistake\"")]
pub struct ReopenArgs {
    /// The promise's id, or any unique prefix of it.
    pub id: String,
    /// Why it is open again.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Print the reopened promise as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Example (crontab): 0 8 * * 1-5  promise report --format markdown")]
pub struct ReportArgs {
    /// Score only promises due since then: a duration back from now (30d, 12w) or a date (2026-01-01).
    #[arg(long, value_name = "PHRASE|DURATION")]
    pub since: Option<String>,
    /// Only this customer (case and spacing do not matter; part of the name is enough).
    #[arg(long, value_name = "CUSTOMER")]
    pub customer: Option<String>,
    /// Only promises made by this person, in a store shared with `promise sync` (part of the
    /// name or email is enough). The default is everyone.
    #[arg(long, value_name = "PERSON")]
    pub by: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CustomersArgs {
    /// Print the customers as a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Csv,
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = "Example: promise prompt --format '{overdue} late, next in {next}'")]
pub struct PromptArgs {
    /// A template with {overdue}, {soon} (due within [prompt] soon, 2h unless set) and {next}
    /// (time to the next deadline, such as 1h20m).
    #[arg(long, value_name = "FMT")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The shell to print the code for.
    pub shell: InitShell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InitShell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
#[command(after_help = "Example (crontab): */5 * * * *  promise nag")]
pub struct NagArgs {
    /// Show what would be sent, send nothing and record nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Where reminders go: a desktop notification (falling back to stdout), only the desktop
    /// (nothing is recorded when it fails), or only stdout. Overrides PROMISE_NOTIFY.
    #[arg(long, value_enum, value_name = "WAY")]
    pub via: Option<Via>,
    /// Print the reminders sent (or due, with --dry-run) as a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Via {
    Auto,
    Desktop,
    Stdout,
    /// Send nothing (PROMISE_NOTIFY=none turns reminders off).
    #[value(skip)]
    None,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  promise sync init git@example.com:me/promises.git
  promise sync init /mnt/share/promises.git
  promise sync

Example (crontab): */15 * * * *  promise sync --quiet")]
pub struct SyncArgs {
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
    /// Print nothing unless promises came in, a value was replaced or something needs a look
    /// (cron mails whatever a job prints).
    #[arg(long, short, global = true, conflicts_with = "json")]
    pub quiet: bool,
    /// Print what the sync did as JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Share this store through a git remote: set up, then sync once.
    ///
    /// On a second machine, run it with an empty store: it takes the remote's promises.
    Init(Lazy<SyncInitArgs>),
}

#[derive(Debug, Args)]
pub struct SyncInitArgs {
    /// The remote: an ssh or https URL, or the path of a bare repository (on a shared drive).
    pub remote: String,
}

#[derive(Debug, Args)]
#[command(after_help = "git config: merge.promise.driver = promise merge-driver %O %A %B %P")]
pub struct MergeDriverArgs {
    /// The common ancestor's version of the file (git's %O).
    pub base: std::path::PathBuf,
    /// This side's version (%A); the merge is written here.
    pub ours: std::path::PathBuf,
    /// The other side's version (%B).
    pub theirs: std::path::PathBuf,
    /// The file's path in the repository (%P), for messages.
    pub path: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example: promise completions bash > ~/.local/share/bash-completion/completions/promise"
)]
pub struct CompletionsArgs {
    /// The shell to print the completions for.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Example (crontab): */15 * * * *  promise export --ics -o ~/Calendar/promises.ics"
)]
pub struct ExportArgs {
    /// iCalendar (RFC 5545), the one format there is.
    #[arg(long, required = true)]
    pub ics: bool,
    /// Closed promises too, as events without alarms.
    #[arg(long)]
    pub all: bool,
    /// Write to FILE, replacing it atomically, instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }

    /// Every flag and argument a user can see says what it is for.
    #[test]
    fn every_visible_argument_has_help() {
        fn check(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                if arg
                    .get_help()
                    .is_none_or(|h| h.to_string().trim().is_empty())
                {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                check(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        check(&super::Cli::command(), "promise", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:?}");
    }
}

/// A subcommand's arguments, defined only when that subcommand is parsed or its help shown
/// (clap's `Command::defer`): `prompt`, run at every shell prompt, and `--version` no longer
/// build the other commands' arguments first (0.1 ms and 23 page faults a start). The commands'
/// descriptions stay on the variants of [`Command`], so that `promise --help` lists them.
#[derive(Debug, Clone, Default)]
pub struct Lazy<T>(pub T);

impl<T: Args> Args for Lazy<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_args)
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_args_for_update)
    }
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

impl<T: clap::FromArgMatches> clap::FromArgMatches for Lazy<T> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(m).map(Lazy)
    }
    fn from_arg_matches_mut(m: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(m).map(Lazy)
    }
    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(m)
    }
}

impl<T> std::ops::Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
