//! Sync through a shared folder, with the CLI run as processes: two laptops (a plain local folder standing
//! in for Syncthing or a network drive) reach each other's changes, a file still arriving is not read early,
//! a damaged one is refused once and changes nothing, and a watching laptop picks up what appears.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use assert_cmd::Command;

use crate::process::{liaison, liaison_process};

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).expect("utf-8");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the output is JSON ({e}): {text}"))
}

/// One pass of `liaison sync folder DIR --json` on `db`.
fn pass(db: &Path, dir: &Path) -> serde_json::Value {
    json(liaison(db).args(["sync", "folder", "--json"]).arg(dir))
}

fn digest(db: &Path) -> String {
    json(liaison(db).args(["sync", "status", "--json"]))["digest"].as_str().expect("digest").to_owned()
}

fn add_partner(db: &Path, name: &str) {
    let input =
        serde_json::json!({ "names": [{ "value": name, "lang": "en", "primary": true }], "country": "CN" });
    liaison(db).args(["partners", "add", "--json", "-"]).write_stdin(input.to_string()).assert().success();
}

/// Makes the files just written in `dir` look settled (written more than the settling time ago), as a sync
/// service's copies are once they have arrived; older files keep their time.
fn settle(dir: &Path) {
    let old = SystemTime::now() - Duration::from_secs(60);
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).expect("a time");
        if modified.elapsed().unwrap_or_default() < Duration::from_secs(30) {
            std::fs::File::options()
                .write(true)
                .open(&path)
                .expect("open")
                .set_modified(old)
                .expect("set time");
        }
    }
}

#[test]
fn two_laptops_reach_each_other_through_a_shared_folder_and_a_file_still_arriving_waits() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let shared = tmp.path().join("shared");
    std::fs::create_dir_all(&shared).expect("folder");
    let lyon = tmp.path().join("lyon.sqlite3");
    let shanghai = tmp.path().join("shanghai.sqlite3");
    liaison(&lyon).args(["init", "--name", "Lyon head office"]).assert().success();
    add_partner(&lyon, "Fudan University");
    let snapshot = tmp.path().join("snapshot.liaison");
    liaison(&lyon).args(["sync", "export", "--snapshot", "--out"]).arg(&snapshot).assert().success();
    liaison(&shanghai)
        .args(["init", "--name", "Shanghai office", "--from"])
        .arg(&snapshot)
        .assert()
        .success();

    // Shanghai adds a partner and leaves its file; Lyon reads it once it has settled, and keeps it for
    // approval.
    add_partner(&shanghai, "Tongji University");
    let first = pass(&shanghai, &shared);
    assert!(first["written"]["path"].as_str().is_some_and(|p| p.contains("liaison-shanghai-")), "{first}");
    let early = pass(&lyon, &shared);
    assert_eq!(early["still_arriving"], 1, "a file written a moment ago may still be arriving: {early}");
    assert_eq!(early["imported"], serde_json::json!([]));
    settle(&shared);
    let read = pass(&lyon, &shared);
    assert_eq!(read["imported"].as_array().map(Vec::len), Some(1), "{read}");
    let waiting = &read["imported"][0]["imported"]["waiting"][0];
    assert_eq!(waiting["name"], "Shanghai office");
    let print = waiting["fingerprint"].as_str().expect("a fingerprint").to_owned();
    liaison(&lyon).args(["sync", "approve", &print]).assert().success();

    // A copy still being written under a hidden name, and a damaged file, change nothing.
    std::fs::write(shared.join(".liaison-ottawa-12345678.liaison.part"), b"LIAISON half").expect("write");
    std::fs::write(shared.join("liaison-ottawa-12345678.liaison"), b"LIAISON\x00damaged").expect("write");
    // Then the two laptops take turns until both are quiet.
    for _ in 0..4 {
        pass(&lyon, &shared);
        settle(&shared);
        pass(&shanghai, &shared);
        settle(&shared);
    }
    assert_eq!(digest(&lyon), digest(&shanghai), "both laptops hold the same data");
    let quiet = pass(&lyon, &shared);
    assert_eq!(quiet["written"], serde_json::Value::Null, "nothing new to write once both agree: {quiet}");
    assert_eq!(quiet["imported"], serde_json::json!([]), "no file is applied twice: {quiet}");
    let refused = quiet["refused"].to_string();
    assert!(
        refused.contains("liaison-ottawa-12345678.liaison") && refused.contains("not a Liaison sync file"),
        "{refused}"
    );
    assert!(!refused.contains(".part"), "a file on its way under a hidden name is not read: {refused}");
    let shanghai_partners = json(liaison(&shanghai).args(["partners", "list", "--json"]));
    let names = shanghai_partners["rows"].to_string();
    assert!(names.contains("Fudan University") && names.contains("Tongji University"), "{names}");

    // In words, for a person: the damaged file is said each time the folder is read.
    let text = String::from_utf8(
        liaison(&shanghai)
            .args(["sync", "folder"])
            .arg(&shared)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .expect("utf-8");
    assert!(text.contains("liaison-ottawa-12345678.liaison: refused, nothing of it was imported"), "{text}");
    assert!(text.contains("nothing new to write"), "{text}");
}

#[test]
fn a_laptop_watching_the_folder_picks_up_what_another_leaves_there() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let shared = tmp.path().join("shared");
    std::fs::create_dir_all(&shared).expect("folder");
    let lyon = tmp.path().join("lyon.sqlite3");
    let shanghai = tmp.path().join("shanghai.sqlite3");
    liaison(&lyon).args(["init", "--name", "Lyon head office"]).assert().success();
    let snapshot = tmp.path().join("snapshot.liaison");
    liaison(&lyon).args(["sync", "export", "--snapshot", "--out"]).arg(&snapshot).assert().success();
    liaison(&shanghai)
        .args(["init", "--name", "Shanghai office", "--from"])
        .arg(&snapshot)
        .assert()
        .success();

    // Lyon approves Shanghai from its first file (until then it has no laptop to encrypt its own file to).
    let waiting = pass(&lyon, &shared);
    assert_eq!(waiting["waiting_for_approval"], true, "{waiting}");
    assert_eq!(waiting["written"], serde_json::Value::Null);
    pass(&shanghai, &shared);
    settle(&shared);
    let read = pass(&lyon, &shared);
    let print =
        read["imported"][0]["imported"]["waiting"][0]["fingerprint"].as_str().expect("waits").to_owned();
    liaison(&lyon).args(["sync", "approve", &print]).assert().success();
    // The folder is a sync service's disk: Lyon's file is encrypted to the laptops it approved, so a laptop
    // of the workspace it has not approved (Ottawa) cannot read it.
    let written = pass(&lyon, &shared);
    let path = written["written"]["path"].as_str().expect("written").to_owned();
    let ottawa = tmp.path().join("ottawa.sqlite3");
    liaison(&ottawa).args(["init", "--name", "Ottawa office", "--from"]).arg(&snapshot).assert().success();
    let refused = liaison(&ottawa).args(["sync", "import"]).arg(&path).assert().failure();
    let said = String::from_utf8_lossy(&refused.get_output().stdout).to_string()
        + &String::from_utf8_lossy(&refused.get_output().stderr);
    assert!(said.contains("encrypted for other laptops"), "{said}");

    // Shanghai watches; Lyon adds a partner and leaves its file.
    let mut watcher = liaison_process(&shanghai)
        .args(["sync", "folder", "--watch", "--interval", "1"])
        .arg(&shared)
        .stdout(std::fs::File::create(tmp.path().join("watch.out")).expect("out"))
        .stderr(std::fs::File::create(tmp.path().join("watch.err")).expect("err"))
        .spawn()
        .expect("watch");
    add_partner(&lyon, "Sun Yat-sen University");
    pass(&lyon, &shared);
    let deadline = Instant::now() + Duration::from_secs(60);
    let arrived = loop {
        let list = json(liaison(&shanghai).args(["partners", "list", "--json"]));
        if list["rows"].to_string().contains("Sun Yat-sen University") {
            break true;
        }
        if Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    let _ = watcher.kill();
    let _ = watcher.wait();
    let said = std::fs::read_to_string(tmp.path().join("watch.out")).unwrap_or_default()
        + &std::fs::read_to_string(tmp.path().join("watch.err")).unwrap_or_default();
    let folder: Vec<String> = std::fs::read_dir(&shared)
        .expect("folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert!(
        arrived,
        "the watching laptop imported the file once it had settled; it said: {said}; the folder: {folder:?}"
    );
}
