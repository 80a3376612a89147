//! Sync through the CLI run as processes: Lyon, Shanghai and Ottawa made with `init` / `init --from`,
//! editing, exchanging files in scrambled orders, approving, and converging to one state digest.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::process::liaison;

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).expect("utf-8");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the output is JSON ({e}): {text}"))
}

fn text(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).expect("utf-8")
}

/// Writes a sync file for everyone into `dir` and returns its path.
fn export_all(db: &Path, dir: &Path) -> PathBuf {
    let written = json(liaison(db).args(["sync", "export", "--all", "--json", "--out"]).arg(dir));
    PathBuf::from(written["path"].as_str().expect("a path"))
}

fn import(db: &Path, files: &[&Path]) -> serde_json::Value {
    json(liaison(db).args(["sync", "import", "--json"]).args(files))
}

fn status(db: &Path) -> serde_json::Value {
    json(liaison(db).args(["sync", "status", "--json"]))
}

fn add_partner(db: &Path, name: &str, country: &str) -> String {
    let input = serde_json::json!({ "names": [{ "value": name, "lang": "en", "primary": true }], "country": country });
    text(liaison(db).args(["partners", "add", "--json", "-"]).write_stdin(input.to_string()))
        .trim()
        .to_owned()
}

/// Sets a partner's city through `show --json` and `update --json -`.
fn set_city(db: &Path, id: &str, city: &str) {
    let mut shown = json(liaison(db).args(["partners", "show", id, "--json"]));
    shown["city"] = serde_json::json!(city);
    liaison(db)
        .args(["partners", "update", id, "--json", "-"])
        .write_stdin(shown.to_string())
        .assert()
        .success();
}

fn conflicts(db: &Path) -> Vec<serde_json::Value> {
    json(liaison(db).args(["sync", "conflicts", "--json"])).as_array().cloned().unwrap_or_default()
}

#[test]
fn three_offices_join_exchange_files_in_any_order_approve_once_and_agree() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let lyon = tmp.path().join("lyon.sqlite3");
    let shanghai = tmp.path().join("shanghai.sqlite3");
    let ottawa = tmp.path().join("ottawa.sqlite3");
    let mail = tmp.path().join("mail");
    std::fs::create_dir(&mail).expect("dir");

    liaison(&lyon).arg("demo").assert().success();
    liaison(&lyon).args(["init", "--name", "Lyon head office"]).assert().success();
    let snapshot = json(liaison(&lyon).args(["sync", "export", "--snapshot", "--json", "--out"]).arg(&mail));
    let snapshot = PathBuf::from(snapshot["path"].as_str().expect("a path"));
    assert!(
        snapshot
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("liaison-lyon-snapshot-")),
        "a readable default name: {}",
        snapshot.display()
    );

    let joined =
        text(liaison(&shanghai).args(["init", "--name", "Shanghai office", "--from"]).arg(&snapshot));
    assert!(joined.contains("Joined the workspace of \"Lyon head office\""), "{joined}");
    liaison(&ottawa).args(["init", "--name", "Ottawa office", "--from"]).arg(&snapshot).assert().success();
    assert_eq!(
        status(&shanghai)["digest"],
        status(&lyon)["digest"],
        "a new laptop holds what the snapshot held"
    );

    add_partner(&shanghai, "Tongji University", "CN");
    add_partner(&ottawa, "University of Ottawa", "CA");
    add_partner(&lyon, "Universidade de São Paulo", "BR");
    let from_shanghai = export_all(&shanghai, &mail);
    let from_ottawa = export_all(&ottawa, &mail);

    // Lyon reads Ottawa's file first, then Shanghai's: both wait for approval.
    let got = import(&lyon, &[&from_ottawa, &from_shanghai]);
    assert_eq!(got.as_array().map(Vec::len), Some(2), "{got}");
    let waiting = status(&lyon)["waiting"].as_array().cloned().unwrap_or_default();
    assert_eq!(waiting.len(), 2, "{waiting:?}");
    for laptop in [&shanghai, &ottawa] {
        let print = status(laptop)["fingerprint"].as_str().expect("a fingerprint").to_owned();
        let said = text(liaison(&lyon).args(["sync", "approve", &print]));
        assert!(said.starts_with("Approved"), "{said}");
    }
    assert!(status(&lyon)["waiting"].as_array().is_some_and(Vec::is_empty));

    // Lyon relays to everyone; each office then tells the others what it holds.
    let from_lyon = export_all(&lyon, &mail);
    let replay = import(&shanghai, &[&from_lyon, &from_lyon]);
    assert_eq!(replay[1]["imported"]["already_imported"], true, "the second copy is recognised: {replay}");
    import(&ottawa, &[&from_lyon]);
    let from_shanghai_2 = export_all(&shanghai, &mail);
    let from_ottawa_2 = export_all(&ottawa, &mail);
    import(&lyon, &[&from_shanghai_2, &from_ottawa_2]);
    import(&ottawa, &[&from_shanghai_2]);
    import(&shanghai, &[&from_ottawa_2]);

    let digests: Vec<serde_json::Value> =
        [&lyon, &shanghai, &ottawa].iter().map(|db| status(db)["digest"].clone()).collect();
    assert_eq!(digests[0], digests[1], "Lyon and Shanghai agree");
    assert_eq!(digests[0], digests[2], "Lyon and Ottawa agree");
    let listed = text(liaison(&ottawa).args(["partners", "list", "--limit", "500"]));
    assert!(listed.contains("Tongji University") && listed.contains("São Paulo"), "{listed}");

    let history = json(liaison(&lyon).args(["sync", "history", "--json"]));
    let files = history.as_array().cloned().unwrap_or_default();
    assert!(files.iter().any(|f| f["direction"] == "in" && f["peer_name"] == "Ottawa office"), "{history}");
    assert!(files.iter().any(|f| f["direction"] == "out" && f["result"] == "snapshot"), "{history}");
    let said = text(liaison(&lyon).args(["sync", "history"]));
    assert!(said.contains("read from \"Shanghai office\""), "{said}");
    let peers = json(liaison(&lyon).args(["sync", "peers", "--json"]));
    assert_eq!(peers.as_array().map(Vec::len), Some(2), "{peers}");
    assert!(peers.as_array().is_some_and(|p| p.iter().all(|p| p["standing"] == "approved")), "{peers}");

    // A file encrypted to Shanghai's key: Shanghai reads it with no passphrase; Ottawa is told it is not its.
    add_partner(&lyon, "Université Laval", "CA");
    let sealed = json(
        liaison(&lyon)
            .args(["sync", "export", "--for", "Shanghai office", "--encrypt", "--json", "--out"])
            .arg(&mail),
    );
    let sealed = PathBuf::from(sealed["path"].as_str().expect("a path"));
    let refused =
        liaison(&ottawa).args(["sync", "import"]).arg(&sealed).assert().failure().get_output().clone();
    let said =
        String::from_utf8_lossy(&refused.stdout).to_string() + &String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("encrypted for other laptops"), "{said}");
    let got = import(&shanghai, &[&sealed]);
    assert!(got[0]["imported"]["new_ops"].as_u64().is_some_and(|n| n > 0), "{got}");
    let snapshot = liaison(&lyon).args(["sync", "export", "--snapshot", "--encrypt"]).assert().failure();
    assert!(String::from_utf8_lossy(&snapshot.get_output().stderr).contains("cannot be used with"));

    // Lyon and Shanghai change the same city without seeing each other's change: one conflict, on both.
    let kyoto = add_partner(&lyon, "Kyoto University", "JP");
    let with_kyoto = export_all(&lyon, &mail);
    import(&shanghai, &[&with_kyoto]);
    set_city(&lyon, &kyoto, "Kyoto");
    set_city(&shanghai, &kyoto, "Sakyo-ku, Kyoto");
    let l = export_all(&lyon, &mail);
    let s = export_all(&shanghai, &mail);
    import(&lyon, &[&s]);
    import(&shanghai, &[&l]);
    let on_lyon = conflicts(&lyon);
    assert_eq!(on_lyon.len(), 1, "{on_lyon:?}");
    assert_eq!(on_lyon, conflicts(&shanghai), "the same conflict on both laptops");
    assert_eq!(on_lyon[0]["field"], "city");
    let said = text(liaison(&lyon).args(["sync", "conflicts"]));
    assert!(said.contains("\"Kyoto\"") && said.contains("Sakyo-ku"), "both values, in words: {said}");
    let id = on_lyon[0]["id"].as_str().expect("an id").to_owned();
    text(liaison(&lyon).args(["sync", "resolve", &id[..8], "--keep", "mine"]));
    assert!(conflicts(&lyon).is_empty());
    let settled = export_all(&lyon, &mail);
    import(&shanghai, &[&settled]);
    assert!(conflicts(&shanghai).is_empty(), "the settlement travelled");
    let shown = json(liaison(&shanghai).args(["partners", "show", &kyoto, "--json"]));
    assert_eq!(shown["city"], "Kyoto", "Lyon kept its own value");
    let digests: Vec<serde_json::Value> =
        [&lyon, &shanghai].iter().map(|db| status(db)["digest"].clone()).collect();
    assert_eq!(digests[0], digests[1]);

    // Lyon erases a person; once the erasure reaches Shanghai, the person is blank there too.
    let person = json(liaison(&lyon).args(["contacts", "list", "--json", "--limit", "1"]))["rows"][0]["id"]
        .as_str()
        .expect("a demo contact")
        .to_owned();
    let before = json(liaison(&shanghai).args(["contacts", "show", &person, "--json"]));
    let family = before["family_name"].as_str().expect("a family name").to_owned();
    text(liaison(&lyon).args(["contacts", "erase", &person]));
    let erasure = export_all(&lyon, &mail);
    import(&shanghai, &[&erasure]);
    let after = json(liaison(&shanghai).args(["contacts", "show", &person, "--json"]));
    assert_eq!(after["family_name"], serde_json::Value::Null, "{after}");
    let history = text(liaison(&shanghai).args(["history", &person]));
    assert!(!history.contains(&family), "the history keeps no value: {history}");
    let digests: Vec<serde_json::Value> =
        [&lyon, &shanghai].iter().map(|db| status(db)["digest"].clone()).collect();
    assert_eq!(digests[0], digests[1]);

    // A damaged file: one line saying which file and what is wrong; exit status 1; nothing written.
    let mut bytes = std::fs::read(&from_ottawa_2).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let damaged = mail.join("damaged.liaison");
    std::fs::write(&damaged, bytes).expect("write");
    let out = liaison(&shanghai).args(["sync", "import"]).arg(&damaged).assert().code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(err.contains("damaged.liaison: refused: this sync file is damaged"), "{err}");
    assert_eq!(status(&shanghai)["digest"], digests[1], "the damaged file changed nothing");
}

/// Reading what sync knows (peers, history, conflicts) opens the file to read: no check of the whole file
/// for damage first (at a million ops it costs seconds) and no write. `status` opens to write: a database
/// copied to another place takes its own replica and key first, and the fingerprint it shows is its own.
#[test]
fn sync_reads_write_nothing_and_status_shows_a_copied_file_its_own_key() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let lyon = tmp.path().join("lyon.sqlite3");
    crate::damage::demo_file(&lyon);
    let original = status(&lyon);
    let copy = tmp.path().join("copy.sqlite3");
    std::fs::copy(&lyon, &copy).expect("copy");
    let before = std::fs::read(&copy).expect("read");
    for read in
        [&["sync", "peers", "--json"][..], &["sync", "history", "--json"], &["sync", "conflicts", "--json"]]
    {
        json(liaison(&copy).args(read));
    }
    assert_eq!(std::fs::read(&copy).expect("read"), before, "reading wrote nothing");
    let copied = status(&copy);
    assert_ne!(copied["replica"], original["replica"], "the copy has a replica of its own");
    assert_ne!(copied["fingerprint"], original["fingerprint"], "and a key of its own");
}
