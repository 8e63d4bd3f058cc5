//! The parts of one export chosen with its manifest: Graph's billing export
//! (`blobs[].name`) and a Cost Management export partitioned into files
//! (`blobs[].blobName`).

use riskdesk_core::error::Code;
use riskdesk_core::test_support::zip::{archive, Entry};
use riskdesk_core::usage;
use riskdesk_core::Error;

use super::usage_common::*;
use super::{blob, cut_mid_day, import_together, totals, BILLED};

/// A Graph export's manifest naming `blobs` (as the API answers, its shape written here).
fn manifest(blobs: &[&str]) -> Vec<u8> {
    let list: Vec<serde_json::Value> = blobs
        .iter()
        .map(|name| serde_json::json!({"name": name, "partitionValue": "default"}))
        .collect();
    let m = serde_json::json!({
        "id": "3f1c7a52-0000-4000-8000-000000000001",
        "schemaVersion": "2",
        "dataFormat": "compressedJSON",
        "createdDateTime": "2025-01-03T02:10:44.12Z",
        "eTag": "k3F9aQ",
        "partnerTenantId": "7d5a0000-0000-4000-8000-0000000000aa",
        "rootDirectory": "https://example.invalid/billedusage/v1/PartitionType=default",
        "sasToken": "sv=2021-08-06&sig=x",
        "partitionType": "Default",
        "blobCount": blobs.len(),
        "blobs": list,
    });
    serde_json::to_vec_pretty(&m).unwrap()
}

/// An import's file, and each problem's code and the blob it names.
fn refused_with(e: Error) -> (String, Vec<(Code, Option<String>)>) {
    let Error::Import { file, problems } = e else {
        panic!("an import error, got {e}");
    };
    let problems = problems
        .into_iter()
        .map(|p| (p.code, p.params.get("name").cloned()))
        .collect();
    (file, problems)
}

#[test]
fn an_exports_manifest_chosen_with_its_blobs_refuses_an_export_not_whole() {
    let (header, rows, at) = cut_mid_day();
    let (one, two) = (blob(&header, &rows[..at]), blob(&header, &rows[at..]));
    let names = ["part-00001-a1.c000.json.gz", "part-00002-a1.c000.json.gz"];
    let m = manifest(&names);
    let (_d, mut whole) = db();
    import(&mut whole, BILLED);

    // The manifest first or last, or packed with the blobs: the whole export.
    let (_d, mut conn) = db();
    import_together(
        &mut conn,
        &[(names[1], &two), ("manifest.json", &m), (names[0], &one)],
    )
    .unwrap();
    assert_eq!(
        (counts(&conn).1, totals(&conn)),
        (counts(&whole).1, totals(&whole))
    );
    let zip = archive(&[
        Entry::deflated("export/manifest.json", &m),
        Entry::stored(&format!("export/{}", names[0]), &one),
        Entry::stored(&format!("export/{}", names[1]), &two),
    ]);
    let (_d, mut zipped) = db();
    import_bytes(&mut zipped, "export.zip", &zip).unwrap();
    assert_eq!(totals(&zipped), totals(&whole));

    // A blob left out, or another export's blob (or file) chosen with them: refused, naming
    // them, and nothing is written.
    let (_d, mut conn) = db();
    let before = counts(&conn);
    let e = import_together(&mut conn, &[("manifest.json", &m), (names[0], &one)]).unwrap_err();
    assert_eq!(
        refused_with(e),
        (
            "manifest.json".into(),
            vec![(Code::BlobMissing, Some(names[1].into()))]
        )
    );
    // Another export's blob: records of other days (the unbilled sample's first rows).
    let unbilled =
        std::fs::read_to_string(sample("daily_rated_usage_unbilled_2025-01.csv")).unwrap();
    let theirs: Vec<String> = unbilled.lines().skip(1).take(3).map(String::from).collect();
    let other = blob(&header, &theirs);
    let e = import_together(
        &mut conn,
        &[
            ("manifest.json", &m),
            (names[0], &one),
            (names[1], &two),
            ("part-00001-b7.c000.json.gz", &other),
        ],
    )
    .unwrap_err();
    assert_eq!(
        refused_with(e).1,
        vec![(
            Code::NotInManifest,
            Some("part-00001-b7.c000.json.gz".into())
        )]
    );
    // In an archive, the part it lacks is named too.
    let short = archive(&[
        Entry::deflated("manifest.json", &m),
        Entry::stored(names[1], &two),
    ]);
    let (file, problems) = refused_with(import_bytes(&mut conn, "export.zip", &short).unwrap_err());
    assert_eq!(file, "export.zip/manifest.json");
    assert_eq!(problems, vec![(Code::BlobMissing, Some(names[0].into()))]);
    // The manifest alone: every blob it names is missing.
    let e = import_bytes(&mut conn, "manifest.json", &m).unwrap_err();
    assert_eq!(refused_with(e).1.len(), 2);
    assert_eq!(counts(&conn), before, "nothing written");
}

#[test]
fn a_manifest_is_read_however_it_was_saved_and_refused_when_it_contradicts_itself() {
    let (header, rows, _) = cut_mid_day();
    let one = blob(&header, &rows[..40]);
    let name = "part-00001-c3.c000.json.gz";
    // PowerShell's `ConvertTo-Json` (keys as the SDK names them, a byte order mark), a name
    // with its folders, no partition value: the same manifest.
    let saved = format!(
        "\u{feff}{{\r\n  \"BlobCount\": 1,\r\n  \"Blobs\": [ {{ \"Name\": \"BillingMonth=202412/{name}\" }} ],\r\n  \"DataFormat\": \"compressedJSON\"\r\n}}"
    );
    let (_d, mut conn) = db();
    import_together(
        &mut conn,
        &[("manifest.json", saved.as_bytes()), (name, &one)],
    )
    .unwrap();
    // A count that is not the list's length, no list, a blob without a name, JSON cut short:
    // refused on the manifest, nothing written.
    let before = counts(&conn);
    for bad in [
        "{\"blobCount\": 2, \"blobs\": [{\"name\": \"part-00001-c3.c000.json.gz\"}]}",
        "{\"blobCount\": 1}",
        "{\"blobCount\": 1, \"blobs\": [{\"partitionValue\": \"default\"}]}",
        "{\"blobCount\": 1, \"blobs\": [{\"name\": \"part-0",
    ] {
        let e = import_together(
            &mut conn,
            &[("manifest.json", bad.as_bytes()), (name, &one)],
        )
        .unwrap_err();
        let (file, problems) = refused_with(e);
        assert_eq!(
            (file.as_str(), problems[0].0),
            ("manifest.json", Code::Unreadable),
            "{bad}"
        );
    }
    assert_eq!(counts(&conn), before);
}

#[test]
fn a_manifest_chosen_alone_brings_the_blobs_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["part-00001-d4.c000.json.gz", "part-00002-d4.c000.json.gz"];
    let nested = format!("BillingMonth=202412/{}", names[1]);
    let path = dir.path().join("manifest.json");
    std::fs::write(&path, manifest(&[names[0], &nested])).unwrap();
    std::fs::write(dir.path().join(names[0]), b"x").unwrap();
    std::fs::create_dir(dir.path().join("BillingMonth=202412")).unwrap();
    std::fs::write(dir.path().join(&nested), b"y").unwrap();
    std::fs::write(dir.path().join("part-00009-other.c000.json.gz"), b"z").unwrap();
    let with = usage::manifest::with_blobs(std::slice::from_ref(&path));
    assert_eq!(
        with,
        vec![
            path.clone(),
            dir.path().join(names[0]),
            dir.path().join(&nested)
        ]
    );
    // A blob chosen already is not taken twice; a file that is not a manifest brings nothing;
    // a blob not beside the manifest is left for the import to name.
    let chosen = vec![dir.path().join(names[0]), path.clone()];
    assert_eq!(usage::manifest::with_blobs(&chosen).len(), 3);
    let blob = vec![dir.path().join(names[0])];
    assert_eq!(usage::manifest::with_blobs(&blob), blob);
    std::fs::remove_file(dir.path().join(&nested)).unwrap();
    assert_eq!(
        usage::manifest::with_blobs(std::slice::from_ref(&path)).len(),
        2
    );
    // A manifest never brings a file from outside its folder: a name climbing out of it is
    // looked for by its file name alone, beside the manifest.
    let inner = dir.path().join("export");
    std::fs::create_dir(&inner).unwrap();
    let climbing = inner.join("manifest.json");
    std::fs::write(
        &climbing,
        manifest(&["../part-00009-other.c000.json.gz", "/.."]),
    )
    .unwrap();
    let with = usage::manifest::with_blobs(std::slice::from_ref(&climbing));
    assert_eq!(with, vec![climbing]);
}

#[test]
fn a_partitioned_cost_management_export_is_read_by_its_manifest() {
    const FOCUS: &str = "focus_usage_slice.csv";
    let text = std::fs::read_to_string(sample(FOCUS)).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let gz = |rows: &[&str]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, format!("{}{}", lines[0], rows.concat()).as_bytes())
            .unwrap();
        gz.finish().unwrap()
    };
    let (one, two) = (gz(&lines[1..41]), gz(&lines[41..]));
    // A Cost Management export's manifest (partitioned into files): its blobs by their path
    // in the storage container, with their sizes and rows.
    let run = "focus-monthly/20250101-20250131/2b4e0c1d-0000-4000-8000-00000000c0de";
    let blobs: Vec<serde_json::Value> = [("part_0_0001.csv.gz", &one, 40), ("part_1_0001.csv.gz", &two, lines.len() - 41)]
        .iter()
        .map(|(name, bytes, rows)| {
            serde_json::json!({"blobName": format!("{run}/{name}"), "byteCount": bytes.len(), "dataRowCount": rows})
        })
        .collect();
    let m = serde_json::json!({
        "manifestVersion": "2024-04-01",
        "byteCount": one.len() + two.len(),
        "blobCount": 2,
        "dataRowCount": lines.len() - 1,
        "exportConfig": {"exportName": "focus-monthly", "type": "FocusCost", "dataVersion": "1.0"},
        "deliveryConfig": {"partitionData": true, "fileFormat": "Csv", "compressionMode": "gzip"},
        "blobs": blobs,
    });
    let m = serde_json::to_vec_pretty(&m).unwrap();
    let (_d, mut whole) = db();
    import(&mut whole, FOCUS);
    // The run's folder downloaded and zipped: the whole export.
    let zip = archive(&[
        Entry::deflated(&format!("{run}/manifest.json"), &m),
        Entry::stored(&format!("{run}/part_0_0001.csv.gz"), &one),
        Entry::stored(&format!("{run}/part_1_0001.csv.gz"), &two),
    ]);
    let (_d, mut conn) = db();
    import_bytes(&mut conn, "focus-monthly.zip", &zip).unwrap();
    assert_eq!(
        (counts(&conn), totals(&conn)),
        (counts(&whole), totals(&whole))
    );
    // Without its second part: refused, naming it.
    let short = archive(&[
        Entry::deflated(&format!("{run}/manifest.json"), &m),
        Entry::stored(&format!("{run}/part_0_0001.csv.gz"), &one),
    ]);
    let (_d, mut conn) = db();
    let (_, problems) =
        refused_with(import_bytes(&mut conn, "focus-monthly.zip", &short).unwrap_err());
    assert_eq!(
        problems,
        vec![(Code::BlobMissing, Some("part_1_0001.csv.gz".into()))]
    );
}
