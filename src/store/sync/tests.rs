use proptest::prelude::*;

use super::*;
use crate::merge::Side;
use crate::model::{Instant, Slip, Status};

fn at(s: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

fn rules(newer: Side) -> Rules {
    Rules {
        newer,
        at: at("2026-11-25T12:00:00+02:00"),
    }
}

fn promise(id: &str, what: &str) -> Promise {
    Promise::new(
        Id(format!("{id:0<10}")),
        "Acme Oy".into(),
        what.into(),
        at("2026-11-23T10:30:00+02:00"),
        at("2026-11-27T16:00:00+02:00"),
    )
}

/// The files a store holding `promises` has, each promise where it belongs.
fn store(promises: &[Promise]) -> Snapshot {
    let mut by_file: BTreeMap<PathBuf, Vec<Promise>> = BTreeMap::new();
    by_file.entry(PathBuf::from(OPEN)).or_default();
    for p in promises {
        by_file.entry(home(p)).or_default().push(p.clone());
    }
    Snapshot {
        files: by_file
            .into_iter()
            .map(|(rel, promises)| {
                let file = StoreFile {
                    promises,
                    ..StoreFile::default()
                };
                (rel, file.to_toml().unwrap().into_bytes())
            })
            .collect(),
    }
}

fn v<'a>(name: &'a str, files: &'a Snapshot) -> Version<'a> {
    Version { name, files }
}

fn merged(b: &Snapshot, o: &Snapshot, t: &Snapshot) -> Merged {
    merge(
        v("base", b),
        v("HEAD", o),
        v("origin/main", t),
        &rules(Side::Theirs),
    )
    .unwrap()
}

fn all(s: &Snapshot) -> BTreeMap<Id, Promise> {
    read(v("result", s)).unwrap().promises
}

/// Every id and the files it is in.
fn where_is(s: &Snapshot) -> BTreeMap<String, Vec<PathBuf>> {
    let mut found: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for (rel, bytes) in &s.files {
        let f = parse_bytes(rel, bytes).unwrap();
        for p in f.promises {
            found.entry(p.id.0).or_default().push(rel.clone());
        }
    }
    found
}

#[test]
fn store_files_are_told_from_other_files() {
    for yes in [
        "open.toml",
        "archive/2026.toml",
        "archive/2026/11.toml",
        "archive/2026/01.toml",
    ] {
        assert!(Snapshot::is_store_file(Path::new(yes)), "{yes}");
    }
    for no in [
        ".gitignore",
        "archive/2026/13.toml",
        "archive/2026/1.toml",
        "archive/26.toml",
        "open.toml.bak",
        "archive/2026/11.toml.bak",
        "notes/open.toml",
    ] {
        assert!(!Snapshot::is_store_file(Path::new(no)), "{no}");
    }
}

#[test]
fn a_promise_closed_on_one_side_and_slipped_on_the_other_is_archived_with_the_slip() {
    let p = promise("a", "Proposal");
    let base = store(std::slice::from_ref(&p));
    let mut kept = p.clone();
    kept.status = Status::Kept;
    kept.closed = Some(at("2026-11-24T10:00:00+02:00"));
    let mut slipped = p.clone();
    slipped.original_due = Some(p.due);
    slipped.slips.push(Slip {
        at: at("2026-11-24T09:00:00+02:00"),
        from: p.due,
        to: at("2026-11-30T12:00:00+02:00"),
        reason: None,
        extra: toml::Table::new(),
    });
    slipped.due = at("2026-11-30T12:00:00+02:00");
    let m = merged(&base, &store(&[kept]), &store(&[slipped]));
    let places = where_is(&m.files);
    assert_eq!(places[&p.id.0], [PathBuf::from("archive/2026/11.toml")]);
    let result = &all(&m.files)[&p.id];
    assert_eq!(result.status, Status::Kept);
    assert_eq!(result.slips.len(), 1);
    assert_eq!(result.due, at("2026-11-30T12:00:00+02:00"));
}

#[test]
fn a_file_only_the_other_side_changed_keeps_its_bytes_comments_and_all() {
    let p = promise("a", "Proposal");
    let base = store(std::slice::from_ref(&p));
    let mut theirs = base.clone();
    let text = String::from_utf8(theirs.files[Path::new(OPEN)].clone()).unwrap();
    let edited = text.replace(
        "what = \"Proposal\"",
        "# agreed on the phone\nwhat = \"Proposal v2\"   # v2!",
    );
    theirs
        .files
        .insert(PathBuf::from(OPEN), edited.clone().into_bytes());
    let m = merged(&base, &base, &theirs);
    assert_eq!(m.files.files[Path::new(OPEN)], edited.into_bytes());
}

#[test]
fn a_file_both_changed_is_edited_in_place_keeping_our_comments() {
    let (p, q) = (promise("a", "Proposal"), promise("b", "Deck"));
    let base = store(&[p.clone(), q.clone()]);
    let mut ours = base.clone();
    let text = String::from_utf8(ours.files[Path::new(OPEN)].clone()).unwrap();
    let ours_text = text
        .replace("what = \"Deck\"", "what = \"Deck\" # ours")
        .replace("version = 1", "version = 1\nowner = \"me\"");
    ours.files
        .insert(PathBuf::from(OPEN), ours_text.into_bytes());
    let mut changed = p.clone();
    changed.what = "Proposal v2".into();
    let theirs = store(&[changed, q.clone(), promise("c", "New")]);
    let m = merged(&base, &ours, &theirs);
    let out = String::from_utf8(m.files.files[Path::new(OPEN)].clone()).unwrap();
    assert!(out.contains("what = \"Deck\" # ours"), "{out}");
    assert!(out.contains("owner = \"me\""), "{out}");
    assert!(out.contains("what = \"Proposal v2\""), "{out}");
    assert_eq!(all(&m.files).len(), 3);
}

#[test]
fn a_promise_deleted_by_hand_on_one_side_and_changed_on_the_other_is_kept() {
    let (p, q) = (promise("a", "Proposal"), promise("b", "Deck"));
    let base = store(&[p.clone(), q.clone()]);
    let deleted = store(std::slice::from_ref(&q));
    let mut noted = p.clone();
    noted.note = Some("call first".into());
    let m = merged(&base, &deleted, &store(&[noted.clone(), q.clone()]));
    assert_eq!(all(&m.files).get(&p.id), Some(&noted));
    // Deleted on one side, untouched on the other: gone.
    let m = merged(&base, &deleted, &base);
    assert!(!all(&m.files).contains_key(&p.id));
}

#[test]
fn a_promise_closed_in_different_months_on_each_side_ends_in_one_file() {
    let p = promise("a", "Proposal");
    let base = store(std::slice::from_ref(&p));
    let mut nov = p.clone();
    nov.status = Status::Kept;
    nov.closed = Some(at("2026-11-30T23:00:00+02:00"));
    let mut dec = p.clone();
    dec.status = Status::Kept;
    dec.closed = Some(at("2026-12-01T09:00:00+02:00"));
    let m = merged(&base, &store(&[dec]), &store(std::slice::from_ref(&nov)));
    let places = where_is(&m.files);
    assert_eq!(places[&p.id.0], [PathBuf::from("archive/2026/11.toml")]);
    assert!(
        !m.files
            .files
            .contains_key(Path::new("archive/2026/12.toml"))
    );
    assert_eq!(all(&m.files)[&p.id].closed, nov.closed);
}

#[test]
fn a_crash_state_on_one_side_is_read_as_the_store_reads_it() {
    // Closed in open.toml and in the archive: the archive's, once.
    let p = promise("a", "Proposal");
    let mut kept = p.clone();
    kept.status = Status::Kept;
    kept.closed = Some(at("2026-11-24T10:00:00+02:00"));
    let mut half = store(std::slice::from_ref(&kept));
    let open = StoreFile {
        promises: vec![kept.clone()],
        ..StoreFile::default()
    };
    half.files
        .insert(PathBuf::from(OPEN), open.to_toml().unwrap().into_bytes());
    let base = store(std::slice::from_ref(&p));
    let m = merged(&base, &half, &base);
    assert_eq!(
        where_is(&m.files)[&p.id.0],
        [PathBuf::from("archive/2026/11.toml")]
    );
}

#[test]
fn a_file_that_does_not_parse_stops_the_merge_naming_the_commit_and_line() {
    let base = store(&[promise("a", "Proposal")]);
    let mut broken = base.clone();
    broken.files.insert(
        PathBuf::from(OPEN),
        b"version = 1\n[[promise]]\nid = \n".to_vec(),
    );
    let Err(e) = merge(
        v("base", &base),
        v("HEAD", &base),
        v("origin/main", &broken),
        &rules(Side::Ours),
    ) else {
        panic!("merged a broken file");
    };
    assert!(e.to_string().starts_with("origin/main:open.toml:3:"), "{e}");
}

#[test]
fn one_file_merges_on_its_own_for_git() {
    let (p, q) = (promise("a", "Proposal"), promise("b", "Deck"));
    let text = |ps: &[Promise]| {
        StoreFile {
            promises: ps.to_vec(),
            ..StoreFile::default()
        }
        .to_toml()
        .unwrap()
    };
    let mut ours_p = p.clone();
    ours_p.what = "Ours".into();
    let mut theirs_p = p.clone();
    theirs_p.what = "Theirs".into();
    let (out, conflicts) = merge_file(
        Path::new("open.toml"),
        &text(std::slice::from_ref(&p)),
        &text(std::slice::from_ref(&ours_p)),
        &text(&[theirs_p, q.clone()]),
        &Closed::default(),
        &rules(Side::Theirs),
    )
    .unwrap();
    assert!(!out.contains("<<<<"));
    let f = StoreFile::parse(Path::new("open.toml"), &out).unwrap();
    assert_eq!(f.promises.len(), 2);
    assert_eq!(f.promises[0].what, "Theirs");
    assert_eq!(f.promises[0].replaced[0].value.as_deref(), Some("Ours"));
    assert_eq!(conflicts.len(), 1);
    // Added on both sides with no base (an empty %O).
    let (out, _) = merge_file(
        Path::new("open.toml"),
        "",
        &text(std::slice::from_ref(&p)),
        &text(std::slice::from_ref(&q)),
        &Closed::default(),
        &rules(Side::Ours),
    )
    .unwrap();
    assert_eq!(
        StoreFile::parse(Path::new("open.toml"), &out)
            .unwrap()
            .promises
            .len(),
        2
    );
}

#[test]
fn one_file_keeps_a_promise_closed_elsewhere_and_changed_here_closed() {
    let (p, q) = (promise("a", "Proposal"), promise("b", "Deck"));
    let text = |ps: &[Promise]| {
        StoreFile {
            promises: ps.to_vec(),
            ..StoreFile::default()
        }
        .to_toml()
        .unwrap()
    };
    let mut kept = p.clone();
    kept.status = Status::Kept;
    kept.closed = Some(at("2026-11-24T10:00:00+02:00"));
    let mut noted = p.clone();
    noted.note = Some("theirs".into());
    let closed = Closed {
        ours: [(p.id.clone(), kept)].into_iter().collect(),
        theirs: BTreeMap::new(),
    };
    let base = text(&[p.clone(), q.clone()]);
    // Closed here (gone from open.toml), changed there: closed, with their note.
    let (out, _) = merge_file(
        Path::new(OPEN),
        &base,
        &text(std::slice::from_ref(&q)),
        &text(&[noted, q.clone()]),
        &closed,
        &rules(Side::Ours),
    )
    .unwrap();
    let f = StoreFile::parse(Path::new(OPEN), &out).unwrap();
    let merged = f.promises.iter().find(|x| x.id == p.id).unwrap();
    assert_eq!(merged.status, Status::Kept);
    assert_eq!(merged.note.as_deref(), Some("theirs"));
    // Closed here, untouched there: gone from open.toml.
    let (out, _) = merge_file(
        Path::new(OPEN),
        &base,
        &text(std::slice::from_ref(&q)),
        &base,
        &closed,
        &rules(Side::Ours),
    )
    .unwrap();
    assert!(!out.contains(p.id.as_str()), "{out}");
}

#[test]
fn a_snapshot_is_written_whole_and_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::new(dir.path().to_path_buf());
    let p = promise("a", "Proposal");
    let before = store(std::slice::from_ref(&p));
    let held = s.hold().unwrap();
    s.write_snapshot(&held, &Snapshot::default(), &before)
        .unwrap();
    assert_eq!(s.snapshot().unwrap(), before);
    let mut kept = p.clone();
    kept.status = Status::Kept;
    kept.closed = Some(at("2026-11-24T10:00:00+02:00"));
    let after = store(&[kept, promise("b", "Deck")]);
    s.write_snapshot(&held, &before, &after).unwrap();
    assert_eq!(s.snapshot().unwrap(), after);
    assert!(dir.path().join("open.toml.bak").exists());
    // And back: the reopened promise leaves the archive file, which goes.
    s.write_snapshot(&held, &after, &before).unwrap();
    assert_eq!(s.snapshot().unwrap(), before);
    assert!(!dir.path().join("archive/2026/11.toml").exists());
}

// --- Replicas: random changes on two or three machines, synced in random orders. ---------
//
// The remote's history is a line of pushes, so the merge base of a machine's branch and the
// remote's is the remote commit it last synced with: each machine remembers that version.

#[derive(Debug, Clone)]
enum Op {
    Add,
    Slip(usize),
    Done(usize),
    Cancel(usize),
    Edit(usize, &'static str),
    Reopen(usize),
    Sync,
}

fn op() -> impl Strategy<Value = (usize, Op)> {
    (
        0usize..3,
        prop_oneof![
            2 => Just(Op::Add),
            2 => (0usize..8).prop_map(Op::Slip),
            1 => (0usize..8).prop_map(Op::Done),
            1 => (0usize..8).prop_map(Op::Cancel),
            1 => ((0usize..8), prop_oneof![Just("A"), Just("B")]).prop_map(|(i, w)| Op::Edit(i, w)),
            1 => (0usize..8).prop_map(Op::Reopen),
            3 => Just(Op::Sync),
        ],
    )
}

struct Machine {
    files: Snapshot,
    base: Snapshot,
}

fn sync(m: &mut Machine, remote: &mut Snapshot, newer: Side) {
    if m.files == m.base {
        m.files = remote.clone();
    } else if *remote != m.base {
        let merged = merge(
            v("base", &m.base),
            v("HEAD", &m.files),
            v("origin", remote),
            &rules(newer),
        )
        .unwrap();
        m.files = merged.files;
        *remote = m.files.clone();
    } else {
        *remote = m.files.clone();
    }
    m.base = remote.clone();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn replicas_converge_with_nothing_lost_or_duplicated(
        machines in 2usize..=3,
        ops in proptest::collection::vec(op(), 1..40),
        order in proptest::collection::vec(0usize..3, 3..6),
    ) {
        let mut remote = store(&[]);
        let mut ms: Vec<Machine> = (0..machines).map(|_| Machine { files: remote.clone(), base: remote.clone() }).collect();
        let mut made: Vec<Id> = Vec::new();
        let mut slips: Vec<(Id, Instant)> = Vec::new();
        let start = at("2026-11-23T10:00:00+02:00");
        for (step, (who, op)) in ops.into_iter().enumerate() {
            let who = who % machines;
            let now = start + chrono::TimeDelta::minutes(step as i64);
            let m = &mut ms[who];
            let mut promises: Vec<Promise> = all(&m.files).into_values().collect();
            let pick = |i: usize, ps: &[Promise]| (!ps.is_empty()).then(|| i % ps.len());
            match op {
                Op::Sync => {
                    sync(m, &mut remote, if step % 2 == 0 { Side::Ours } else { Side::Theirs });
                    continue;
                }
                Op::Add => {
                    let mut p = promise(&format!("m{who}s{step:06}"), "New");
                    p.made = now;
                    p.due = now + chrono::TimeDelta::days(3);
                    made.push(p.id.clone());
                    promises.push(p);
                }
                Op::Slip(i) => if let Some(i) = pick(i, &promises) {
                    let p = &mut promises[i];
                    if p.is_open() {
                        let to = p.due + chrono::TimeDelta::hours(1);
                        p.original_due.get_or_insert(p.due);
                        p.slips.push(Slip { at: now, from: p.due, to, reason: None, extra: toml::Table::new() });
                        p.due = to;
                        slips.push((p.id.clone(), now));
                    }
                },
                Op::Done(i) | Op::Cancel(i) => if let Some(i) = pick(i, &promises) {
                    let p = &mut promises[i];
                    if p.is_open() {
                        p.status = if matches!(op, Op::Done(_)) { Status::Kept } else { Status::Cancelled };
                        p.closed = Some(now);
                    }
                },
                Op::Edit(i, what) => if let Some(i) = pick(i, &promises) {
                    promises[i].what = what.to_string();
                },
                Op::Reopen(i) => if let Some(i) = pick(i, &promises) {
                    let p = &mut promises[i];
                    if !p.is_open() {
                        p.reopened.push(crate::model::Reopening { at: now, from: p.status, closed: p.closed, cancel_reason: None, reason: None, extra: toml::Table::new() });
                        p.status = Status::Open;
                        p.closed = None;
                    }
                },
            }
            m.files = store(&promises);
        }
        // Everyone syncs, in the order drawn, then once more each: the last one's merge
        // reaches them all.
        for (n, who) in order.iter().chain(&[0, 1, 2, 0, 1, 2]).enumerate() {
            let who = who % machines;
            sync(&mut ms[who], &mut remote, if n % 2 == 0 { Side::Ours } else { Side::Theirs });
        }
        for m in &ms {
            prop_assert_eq!(&m.files, &remote);
        }
        let places = where_is(&remote);
        let promises = all(&remote);
        for id in &made {
            prop_assert_eq!(places.get(&id.0).map(Vec::len), Some(1), "{} lost or duplicated", id);
            prop_assert_eq!(&places[&id.0][0], &home(&promises[id]));
        }
        prop_assert_eq!(places.len(), made.len());
        for (id, when) in &slips {
            prop_assert!(promises[id].slips.iter().any(|s| s.at == *when), "slip of {} at {} lost", id, when);
        }
    }
}
