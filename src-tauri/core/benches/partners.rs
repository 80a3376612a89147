//! Benchmarks at 100,000 partners: search, a filtered sorted page, and creating a partner, each beside a bare
//! SQL query returning the same rows (or writing the same row), run in the same process so the figures can
//! be read as ratios. The database is generated once into the target directory and reused.
//!
//! Run: `cargo bench -p liaison-core --bench partners` (`make bench`).

use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use liaison_core::kinds::{IdScheme, OrgKind, PartnerStatus, Zone};
use liaison_core::records::partner::{self, IdentifierInput, NameInput, PartnerInput, PartnerQuery};
use liaison_core::{search, store, ManualClock};
use rusqlite::Connection;

const PARTNERS: usize = 100_000;

/// The CLI's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// A deterministic stream of pseudo-random numbers (xorshift).
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const HANZI: &[char] = &[
    '华', '东', '师', '范', '复', '旦', '交', '通', '同', '济', '理', '工', '医', '科', '农', '林', '财',
    '经', '政', '法', '海', '洋', '电', '子', '航', '空', '天', '石', '油', '中', '南', '北', '西', '山',
    '江', '河',
];
const KANA: &[char] =
    &['東', '京', '大', '阪', '名', '古', '屋', '九', '州', '北', '海', '道', '早', '稲', '田'];
const PLACES: &[(&str, &str, &str)] = &[
    ("Shanghai", "CN", "zh-Hans"),
    ("Beijing", "CN", "zh-Hans"),
    ("Wuhan", "CN", "zh-Hans"),
    ("Tokyo", "JP", "ja"),
    ("Kyoto", "JP", "ja"),
    ("São Paulo", "BR", "pt-BR"),
    ("Porto Alegre", "BR", "pt-BR"),
    ("Montréal", "CA", "fr"),
    ("Ottawa", "CA", "en"),
    ("Lyon", "FR", "fr"),
];

fn generated(i: usize, dice: &mut Dice) -> PartnerInput {
    let (city, country, lang) = PLACES[dice.next(PLACES.len())];
    let mut names = Vec::new();
    let native: String = match lang {
        "zh-Hans" => {
            (0..2 + dice.next(3)).map(|_| HANZI[dice.next(HANZI.len())]).chain("大学".chars()).collect()
        }
        "ja" => (0..2 + dice.next(2)).map(|_| KANA[dice.next(KANA.len())]).chain("大学".chars()).collect(),
        "pt-BR" => format!("Universidade Federal de {city} {i}"),
        "fr" => format!("Université de {city} {i}"),
        _ => format!("University of {city} {i}"),
    };
    names.push(NameInput { id: None, value: native, lang: lang.into(), primary: true });
    if lang != "en" {
        names.push(NameInput {
            id: None,
            value: format!("{city} University {i}"),
            lang: "en".into(),
            primary: false,
        });
    }
    PartnerInput {
        names,
        acronym: Some(format!("U{i}")),
        kind: [OrgKind::University, OrgKind::School, OrgKind::Laboratory][dice.next(3)],
        parent_id: None,
        country: Some(country.into()),
        city: Some(city.into()),
        zone: None,
        website: None,
        status: [PartnerStatus::Active, PartnerStatus::Prospect, PartnerStatus::Inactive][dice.next(3)],
        identifiers: vec![IdentifierInput {
            id: None,
            scheme: IdScheme::Pic,
            value: format!("{:09}", 900_000_000 + i),
        }],
        tags: vec![],
        notes: None,
    }
}

fn bench_db_path() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-partners-{PARTNERS}.sqlite3"))
}

static DB: LazyLock<Mutex<Connection>> = LazyLock::new(|| {
    let path = bench_db_path();
    let mut conn = liaison_core::open(&path).expect("bench database");
    let count: i64 = conn.query_row("SELECT count(*) FROM partner_summary", [], |r| r.get(0)).expect("count");
    if count != PARTNERS as i64 {
        drop(conn);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        conn = liaison_core::open(&path).expect("bench database");
        let clock = ManualClock::new();
        liaison_core::write(&mut conn, |tx| store::init(tx, "Bench", &clock)).expect("init");
        eprintln!("generating {PARTNERS} partners into {} (once)…", path.display());
        let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
        // Batches of 1,000 keep the write-ahead log small (one huge transaction cannot checkpoint).
        for batch in 0..PARTNERS / 1000 {
            liaison_core::write(&mut conn, |tx| {
                for i in batch * 1000..(batch + 1) * 1000 {
                    partner::create(tx, &clock, &generated(i, &mut dice))?;
                    clock.advance_ms(1);
                }
                Ok(())
            })
            .expect("generate");
        }
        store::analyze(&conn).expect("analyze");
    }
    Mutex::new(conn)
});

fn with_db<T>(f: impl FnOnce(&mut Connection) -> T) -> T {
    let mut conn = DB.lock().expect("bench db lock");
    f(&mut conn)
}

const QUERIES: &[&str] =
    &["复旦", "东京", "华东师范大学", "sao paulo", "universite de montreal", "U4242", "univ", "0004242"];

/// Search: first 50 hits, ranked.
#[divan::bench(args = QUERIES)]
fn search_first_50(bencher: divan::Bencher, query: &str) {
    with_db(|conn| {
        bencher.bench_local(|| search::search(conn, divan::black_box(query), 50).expect("search"))
    });
}

/// Baseline: the bare SQL that returns 50 partners whose name contains the query (a scan, unranked).
#[divan::bench(args = QUERIES)]
fn search_baseline_like(bencher: divan::Bencher, query: &str) {
    with_db(|conn| {
        let mut stmt = conn
            .prepare("SELECT id, name FROM partner_summary WHERE name LIKE '%' || ?1 || '%' LIMIT 50")
            .expect("sql");
        bencher.bench_local(|| {
            stmt.query_map([divan::black_box(query)], |r| {
                Ok((r.get::<_, uuid::Uuid>(0)?, r.get::<_, String>(1)?))
            })
            .expect("query")
            .count()
        })
    });
}

fn china_page(offset: u32) -> PartnerQuery {
    PartnerQuery {
        zone: Some(Zone::China),
        status: Some(PartnerStatus::Active),
        offset,
        limit: 100,
        ..Default::default()
    }
}

/// A zone's name-sorted page of 100, with the total count the list shows.
#[divan::bench(args = [0, 5_000])]
fn list_zone_page_of_100(bencher: divan::Bencher, offset: u32) {
    let q = |offset| PartnerQuery { zone: Some(Zone::China), offset, limit: 100, ..Default::default() };
    with_db(|conn| bencher.bench_local(|| partner::list(conn, &q(divan::black_box(offset))).expect("list")));
}

/// Baseline: the bare SQL for the same zone page.
#[divan::bench(args = [0, 5_000])]
fn list_zone_baseline_sql(bencher: divan::Bencher, offset: u32) {
    with_db(|conn| {
        let mut stmt = conn
            .prepare(
                "SELECT id, name, acronym, kind, country, city, zone, status FROM partner_summary
                 WHERE zone = 'china' ORDER BY sort_name, id LIMIT 100 OFFSET ?1",
            )
            .expect("sql");
        bencher.bench_local(|| {
            stmt.query_map([divan::black_box(offset)], |r| r.get::<_, uuid::Uuid>(0)).expect("q").count()
        })
    });
}

/// A filtered (zone, status), name-sorted page of 100, with the total count the list shows.
#[divan::bench(args = [0, 5_000])]
fn list_page_of_100(bencher: divan::Bencher, offset: u32) {
    with_db(|conn| {
        bencher.bench_local(|| partner::list(conn, &china_page(divan::black_box(offset))).expect("list"))
    });
}

/// Baseline: the bare SQL for the same page of rows (no count, no mapping to types).
#[divan::bench(args = [0, 5_000])]
fn list_baseline_sql(bencher: divan::Bencher, offset: u32) {
    with_db(|conn| {
        let mut stmt = conn
            .prepare(
                "SELECT id, name, acronym, kind, country, city, zone, status FROM partner_summary
                 WHERE zone = 'china' AND status = 'active' ORDER BY sort_name, id LIMIT 100 OFFSET ?1",
            )
            .expect("sql");
        bencher.bench_local(|| {
            stmt.query_map([divan::black_box(offset)], |r| r.get::<_, uuid::Uuid>(0)).expect("q").count()
        })
    });
}

/// Creating a partner: validation, rows, ops, list and search rows (rolled back, so the size stays put).
#[divan::bench]
fn create_partner(bencher: divan::Bencher) {
    let clock = ManualClock::at_ms(2_000_000_000_000);
    let mut dice = Dice(7);
    with_db(|conn| {
        bencher.bench_local(|| {
            let input = generated(PARTNERS + 1, &mut dice);
            let tx = liaison_core::Tx::begin(conn, liaison_core::derive::settle).expect("tx");
            partner::create(&tx, &clock, &input).expect("create");
            drop(tx); // rolled back
        })
    });
}

/// Baseline: bare INSERTs of the same partner row and its names (rolled back too).
#[divan::bench]
fn create_baseline_insert(bencher: divan::Bencher) {
    let mut dice = Dice(7);
    with_db(|conn| {
        bencher.bench_local(|| {
            let input = generated(PARTNERS + 1, &mut dice);
            let tx = conn.transaction().expect("tx");
            let id = store::new_id();
            tx.prepare_cached("INSERT INTO partner (id, acronym, kind, country, city, zone, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .expect("sql")
                .execute(rusqlite::params![id, input.acronym, "university", input.country, input.city, "china", "active"])
                .expect("insert");
            for n in &input.names {
                tx.prepare_cached("INSERT INTO partner_name (id, partner_id, value, lang, is_primary) VALUES (?1, ?2, ?3, ?4, ?5)")
                    .expect("sql")
                    .execute(rusqlite::params![store::new_id(), id, n.value, n.lang, n.primary])
                    .expect("insert");
            }
            tx.rollback().expect("rollback");
        })
    });
}
