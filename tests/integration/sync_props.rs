//! Convergence, as a property: 2 to 8 laptops (one of them a year behind) create, edit, delete, restore and
//! erase, jump their clocks, and send files that are dropped (one in five), duplicated, reordered and relayed
//! through head office; then they exchange until quiet. Every laptop must reach the same state digest, the
//! same conflicts and the same vectors; the result must equal an oracle that replays every op sorted by
//! clock into an empty database; and no op any laptop wrote may be missing anywhere.
//!
//! `LIAISON_SYNC_CASES=N` runs N cases instead of CI's number (a long run: `LIAISON_SYNC_CASES=20000`).

use std::path::{Path, PathBuf};

use liaison_core::job::Job;
use liaison_core::oplog::conflict;
use liaison_core::records::{contact, partner};
use liaison_core::sync::export::Audience;
use liaison_core::sync::{self, digest, import, status};
use liaison_core::{store, write, Clock, ManualClock};
use liaison_tests::{person, simple};
use proptest::prelude::*;
use rusqlite::Connection;
use uuid::Uuid;

const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;

#[derive(Debug, Clone)]
enum Action {
    Create { r: usize },
    Edit { r: usize, pick: usize, city: u8 },
    Delete { r: usize, pick: usize },
    Restore { r: usize, pick: usize },
    AddPerson { r: usize, pick: usize },
    Erase { r: usize, pick: usize },
    Jump { r: usize, ms: i64 },
    Send { from: usize, to: Option<usize>, dropped: bool, twice: bool },
    Deliver { r: usize, seed: u64 },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => any::<usize>().prop_map(|r| Action::Create { r }),
        4 => (any::<usize>(), any::<usize>(), 0u8..4).prop_map(|(r, pick, city)| Action::Edit { r, pick, city }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(r, pick)| Action::Delete { r, pick }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(r, pick)| Action::Restore { r, pick }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(r, pick)| Action::AddPerson { r, pick }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(r, pick)| Action::Erase { r, pick }),
        1 => (any::<usize>(), 0i64..(3 * 24 * 3600 * 1000)).prop_map(|(r, ms)| Action::Jump { r, ms }),
        4 => (any::<usize>(), proptest::option::of(any::<usize>()), proptest::bool::weighted(0.2), proptest::bool::weighted(0.1))
            .prop_map(|(from, to, dropped, twice)| Action::Send { from, to, dropped, twice }),
        3 => (any::<usize>(), any::<u64>()).prop_map(|(r, seed)| Action::Deliver { r, seed }),
    ]
}

struct Laptop {
    conn: Connection,
    clock: ManualClock,
    inbox: Vec<PathBuf>,
}

struct World {
    laptops: Vec<Laptop>,
    dir: PathBuf,
    files: usize,
}

impl World {
    fn new(n: usize, dir: &Path) -> World {
        let founder_clock = ManualClock::new();
        let mut conn = liaison_core::open_in_memory().expect("open");
        write(&mut conn, |tx| store::init(tx, "Lyon head office", &founder_clock)).expect("init");
        let mut world = World { laptops: Vec::new(), dir: dir.to_owned(), files: 0 };
        world.laptops.push(Laptop { conn, clock: founder_clock, inbox: Vec::new() });
        let snapshot = world.export(0, Audience::Snapshot);
        for i in 1..n {
            // The third laptop's clock is a year behind.
            let clock =
                if i == 2 { ManualClock::at_ms(1_767_225_600_000 - YEAR_MS) } else { ManualClock::new() };
            let mut conn = liaison_core::open_in_memory().expect("open");
            sync::join(&mut conn, &clock, &snapshot, &format!("Office {i}"), None, None, &Job::silent())
                .expect("join");
            world.laptops.push(Laptop { conn, clock, inbox: Vec::new() });
            let hello = world.export(i, Audience::Everyone);
            import_ok(&mut world.laptops[0], &hello);
            let print =
                status::status(&world.laptops[i].conn, &world.laptops[i].clock).expect("status").fingerprint;
            let head = &mut world.laptops[0];
            write(&mut head.conn, |tx| import::approve(tx, &head.clock, &print)).expect("approve");
        }
        world
    }

    fn export(&mut self, r: usize, audience: Audience) -> PathBuf {
        self.files += 1;
        let out = self.dir.join(format!("f{}.liaison", self.files));
        let l = &mut self.laptops[r];
        sync::export_file(&mut l.conn, &l.clock, audience, &out, None, None, &Job::silent()).expect("export");
        out
    }

    fn deliver(&mut self, r: usize, seed: u64) {
        let mut inbox = std::mem::take(&mut self.laptops[r].inbox);
        // Reordered: a deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..inbox.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            inbox.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for file in inbox {
            import_ok(&mut self.laptops[r], &file);
        }
    }
}

fn import_ok(l: &mut Laptop, file: &Path) {
    if let Err(e) = sync::import_file(&mut l.conn, &l.clock, file, None, None, &Job::silent()) {
        let me = store::replica(&l.conn).ok().flatten().map(|r| r.name);
        panic!("a good file is imported, but {me:?} refused {}: {e}", file.display());
    }
}

fn ids(conn: &Connection, table: &str) -> Vec<Uuid> {
    let mut stmt = conn.prepare(&format!("SELECT id FROM {table} ORDER BY id")).expect("prepare");
    let rows = stmt.query_map([], |r| r.get(0)).expect("query");
    rows.collect::<Result<_, _>>().expect("ids")
}

/// Runs a local edit; refusals a user could meet (the record was deleted or erased meanwhile) are fine.
fn edit(l: &mut Laptop, f: impl FnOnce(&liaison_core::Tx, &ManualClock) -> liaison_core::Result<()>) {
    l.clock.advance_ms(1_000);
    let clock = &l.clock;
    if let Err(e) = write(&mut l.conn, |tx| f(tx, clock)) {
        assert!(matches!(e.kind(), "not_found" | "conflict" | "invalid"), "an edit failed unexpectedly: {e}");
    }
}

fn run(n: usize, actions: Vec<Action>) -> Result<(), TestCaseError> {
    let tmp = tempfile::Builder::new().tempdir_in(shm()).expect("temp dir");
    let mut world = World::new(n, tmp.path());
    let cities = ["Shanghai", "Lyon", "Ottawa", "São Paulo"];
    for a in actions {
        match a {
            Action::Create { r } => {
                let l = &mut world.laptops[r % n];
                edit(l, |tx, c| partner::create(tx, c, &simple("Université", "fr", "FR")).map(|_| ()));
            }
            Action::Edit { r, pick, city } => {
                let l = &mut world.laptops[r % n];
                let all = ids(&l.conn, "partner");
                if let Some(id) = all.get(pick % all.len().max(1)).copied() {
                    edit(l, |tx, c| {
                        let mut input = partner::get(tx, id)?.input;
                        input.city = Some(cities[city as usize].into());
                        partner::update(tx, c, id, &input).map(|_| ())
                    });
                }
            }
            Action::Delete { r, pick } | Action::Restore { r, pick } => {
                let l = &mut world.laptops[r % n];
                let all = ids(&l.conn, "partner");
                if let Some(id) = all.get(pick % all.len().max(1)).copied() {
                    let restore = matches!(a, Action::Restore { .. });
                    edit(
                        l,
                        |tx, c| {
                            if restore {
                                partner::restore(tx, c, id)
                            } else {
                                partner::delete(tx, c, id)
                            }
                        },
                    );
                }
            }
            Action::AddPerson { r, pick } => {
                let l = &mut world.laptops[r % n];
                let all = ids(&l.conn, "partner");
                if let Some(id) = all.get(pick % all.len().max(1)).copied() {
                    edit(l, |tx, c| contact::create(tx, c, &person("Doe", "Jane", None, id)).map(|_| ()));
                }
            }
            Action::Erase { r, pick } => {
                let l = &mut world.laptops[r % n];
                let all = ids(&l.conn, "contact");
                if let Some(id) = all.get(pick % all.len().max(1)).copied() {
                    edit(l, |tx, c| contact::erase(tx, c, id));
                }
            }
            Action::Jump { r, ms } => world.laptops[r % n].clock.advance_ms(ms),
            Action::Send { from, to, dropped, twice } => {
                let from = from % n;
                let to = to.map(|t| t % n).filter(|t| *t != from);
                let audience = match to {
                    Some(t) => {
                        let peer = store::replica(&world.laptops[t].conn).expect("read").expect("replica").id;
                        Audience::Peer(peer)
                    }
                    None => Audience::Everyone,
                };
                // A peer this laptop has not heard of yet gets a file for everyone.
                let audience = match audience {
                    Audience::Peer(p)
                        if sync::identity::member(&world.laptops[from].conn, p).expect("read").is_none() =>
                    {
                        Audience::Everyone
                    }
                    a => a,
                };
                let file = world.export(from, audience);
                if !dropped {
                    let targets: Vec<usize> = match to {
                        Some(t) => vec![t],
                        None => (0..n).filter(|t| *t != from).collect(),
                    };
                    for t in targets {
                        world.laptops[t].inbox.push(file.clone());
                        if twice {
                            world.laptops[t].inbox.push(file.clone());
                        }
                    }
                }
            }
            Action::Deliver { r, seed } => world.deliver(r % n, seed),
        }
    }
    // Clocks set right (changes dated ahead of a laptop's clock wait for it), then exchange until quiet:
    // every laptop sends to everyone and reads what it got, twice round.
    let latest = world.laptops.iter().map(|l| l.clock.now().timestamp_millis()).max().unwrap_or(0);
    for l in &world.laptops {
        l.clock.advance_ms(latest - l.clock.now().timestamp_millis());
    }
    for _ in 0..2 {
        for r in 0..n {
            world.deliver(r, 7);
        }
        for from in 0..n {
            let file = world.export(from, Audience::Everyone);
            for t in (0..n).filter(|t| *t != from) {
                world.laptops[t].inbox.push(file.clone());
            }
        }
        for r in 0..n {
            world.deliver(r, 11);
        }
    }
    let digests: Vec<String> =
        world.laptops.iter().map(|l| digest::digest(&l.conn).expect("digest")).collect();
    for (i, d) in digests.iter().enumerate() {
        prop_assert_eq!(d, &digests[0], "laptop {} differs from head office", i);
    }
    let conflicts: Vec<Vec<(String, String, String)>> = world
        .laptops
        .iter()
        .map(|l| {
            conflict::list(&l.conn)
                .expect("conflicts")
                .into_iter()
                .map(|c| (c.id, c.winner.value.to_string(), c.loser.value.to_string()))
                .collect()
        })
        .collect();
    for (i, c) in conflicts.iter().enumerate() {
        prop_assert_eq!(c, &conflicts[0], "laptop {} lists other conflicts", i);
    }
    // Every op any laptop wrote is held everywhere: each vector names each origin's own last op.
    let own: Vec<(Uuid, i64)> = world
        .laptops
        .iter()
        .map(|l| {
            let me = store::replica(&l.conn).expect("read").expect("replica").id;
            let holds = status::status(&l.conn, &l.clock).expect("status").holds;
            (me, holds.iter().find(|h| h.origin == me).map_or(0, |h| h.seq))
        })
        .collect();
    for l in &world.laptops {
        let holds = status::status(&l.conn, &l.clock).expect("status").holds;
        for (origin, seq) in &own {
            let held = holds.iter().find(|h| h.origin == *origin).map_or(0, |h| h.seq);
            prop_assert_eq!(held, *seq, "an op of {} is missing", origin);
        }
    }
    // The oracle: every op, sorted by clock, replayed into an empty database.
    let mut ops = liaison_core::oplog::all_ops(&world.laptops[0].conn).expect("ops");
    ops.sort_by_key(|o| (o.hlc, o.origin, o.seq));
    let oracle_clock = ManualClock::new();
    let mut oracle = liaison_core::open_in_memory().expect("open");
    write(&mut oracle, |tx| store::init(tx, "Oracle", &oracle_clock)).expect("init");
    write(&mut oracle, |tx| liaison_core::oplog::apply(tx, &ops)).expect("replay");
    prop_assert_eq!(digest::digest(&oracle).expect("digest"), digests[0].clone(), "the oracle disagrees");
    Ok(())
}

fn shm() -> PathBuf {
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    }
}

fn cases() -> u32 {
    std::env::var("LIAISON_SYNC_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn laptops_that_exchange_files_in_any_order_converge(
        n in 2usize..=8,
        actions in proptest::collection::vec(action(), 1..40),
    ) {
        run(n, actions)?;
    }
}

/// Found by the property: the erased person's rows must exist, blank, where the erasure arrived first.
#[test]
fn a_person_made_and_erased_before_any_file_arrives_blank_everywhere() {
    run(
        2,
        vec![Action::Create { r: 0 }, Action::AddPerson { r: 0, pick: 0 }, Action::Erase { r: 0, pick: 0 }],
    )
    .expect("converges");
}

/// Found by the property: the tombstone itself must travel whole, even from a laptop that held it.
#[test]
fn a_laptop_erases_a_person_it_made_and_another_not_yet_approving_it_hears_of_it_first() {
    run(
        3,
        vec![
            Action::Create { r: 2 },
            Action::AddPerson { r: 2, pick: 0 },
            Action::Erase { r: 2, pick: 0 },
            Action::Send { from: 2, to: Some(1), dropped: false, twice: true },
        ],
    )
    .expect("converges");
}
