//! The manifest of an export written in several blobs (`manifest.json`): Microsoft Graph's
//! billing export (`/reports/partners/billing/manifests/{id}`, `blobs[].name`) or a Cost
//! Management export partitioned into files (a FOCUS export's, `blobs[].blobName`), each
//! giving `blobCount`. Chosen with the blobs (or packed with them), it
//! says whether the parts chosen are the whole export: a blob it names that was not chosen,
//! or a file chosen that it does not name (another export's), is refused before anything is
//! written. Chosen alone, the blobs beside it are taken with it ([`with_blobs`]).

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Code, ImportProblem};

/// The most a manifest may hold: one names a few hundred blobs at most.
const MAX_MANIFEST: u64 = 8 << 20;

/// An export's manifest: the names of its blobs, without their folders.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub blobs: Vec<String>,
}

/// A file's name without its folders.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Whether a file starting with `head` is a manifest rather than usage: a JSON object that
/// gives a `blobCount` (no usage record has one).
pub(crate) fn looks_like(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        && head
            .windows(11)
            .any(|w| w.eq_ignore_ascii_case(b"\"blobcount\""))
}

/// The value of `key` in `object`, its case as Graph writes it or as PowerShell saves it
/// (`BlobCount`).
fn field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// A blob's name as Graph (`name`) or Cost Management (`blobName`) writes it.
fn blob_name(blob: &Map<String, Value>) -> Option<&str> {
    field(blob, "name")
        .or_else(|| field(blob, "blobName"))
        .and_then(Value::as_str)
}

/// Reads a manifest (at most [`MAX_MANIFEST`] bytes).
pub(crate) fn read(r: impl Read) -> Result<Manifest, ImportProblem> {
    let text =
        crate::import::read_capped(r, MAX_MANIFEST).map_err(crate::import::zipped::unreadable)?;
    parse(&text)
}

fn parse(text: &[u8]) -> Result<Manifest, ImportProblem> {
    let refuse = |line: u64, message: String| {
        ImportProblem::new(line.max(1), "blobs", Code::Unreadable, message)
    };
    if text.len() as u64 > MAX_MANIFEST {
        return Err(refuse(1, "an export's manifest of more than 8 MiB".into()));
    }
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    let object: Map<String, Value> = serde_json::from_slice(text).map_err(|e| {
        refuse(
            e.line() as u64,
            format!("not an export's manifest as Microsoft Graph writes it ({e})"),
        )
    })?;
    let Some(Value::Array(list)) = field(&object, "blobs") else {
        return Err(refuse(
            1,
            "an export's manifest without its list of blobs: download it again".into(),
        ));
    };
    let mut blobs = Vec::with_capacity(list.len());
    for (i, blob) in list.iter().enumerate() {
        let name = blob
            .as_object()
            .and_then(blob_name)
            .map(file_name)
            .filter(|n| !n.trim().is_empty());
        let Some(name) = name else {
            return Err(refuse(
                1,
                format!(
                    "blob {} of the manifest has no name: download it again",
                    i + 1
                ),
            ));
        };
        blobs.push(name.to_string());
    }
    let count = field(&object, "blobCount").and_then(Value::as_u64);
    if count != Some(blobs.len() as u64) {
        return Err(refuse(
            1,
            format!(
                "the manifest counts {} blobs but lists {}: download it again",
                count.map_or_else(|| "no".to_string(), |c| c.to_string()),
                blobs.len()
            ),
        ));
    }
    Ok(Manifest { blobs })
}

/// The problems of an import of `read` (the usage files read, by name) with `manifests`
/// (each by the name it was chosen or packed under): each blob a manifest names that was not
/// read, then each file read that no manifest names. Empty when there is no manifest.
pub(crate) fn problems(
    manifests: &[(String, Manifest)],
    read: &[String],
) -> Vec<(String, ImportProblem)> {
    let read: BTreeSet<&str> = read.iter().map(|f| file_name(f)).collect();
    let problem = |manifest: &str, code: Code, name: &str, message: String| {
        let p = ImportProblem::new(1, "blobs", code, message)
            .with("name", name)
            .with("manifest", file_name(manifest));
        (manifest.to_string(), p)
    };
    let mut named = BTreeSet::new();
    let mut out = Vec::new();
    for (manifest, m) in manifests {
        for blob in &m.blobs {
            named.insert(blob.as_str());
            if !read.contains(blob.as_str()) {
                out.push(problem(manifest, Code::BlobMissing, blob, format!(
                    "the export's manifest names {blob}, which is not among the files chosen: choose it with the export's other parts"
                )));
            }
        }
    }
    if let Some((manifest, _)) = manifests.first() {
        for file in read.iter().filter(|f| !named.contains(*f)) {
            out.push(problem(manifest, Code::NotInManifest, file, format!(
                "{file} is not one of the blobs the export's manifest names (another export's?): choose the files it names"
            )));
        }
    }
    out
}

/// `paths` with, after each manifest among them, the blobs it names found in its folder (or
/// a folder of the blob's own path under it) that are not chosen already. A blob not found
/// is left for the import to name; a file that cannot be read is left as it is.
pub fn with_blobs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = paths.to_vec();
    let mut taken: BTreeSet<PathBuf> = paths.iter().filter_map(|p| p.canonicalize().ok()).collect();
    for path in paths {
        let Some(names) = names_in(path) else {
            continue;
        };
        let folder = path.parent().unwrap_or(Path::new("."));
        for name in names {
            // Only under the manifest's folder: a name that climbs out of it (`../`), or
            // one that is no file's, is looked for by its file name alone.
            let relative = name.trim_start_matches(['/', '\\']).replace('\\', "/");
            let under = Path::new(&relative)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            let inside = under.then(|| folder.join(&relative));
            let name = file_name(&name);
            let beside = (!matches!(name, "" | "." | "..")).then(|| folder.join(name));
            let found = [inside, beside].into_iter().flatten().find(|p| p.is_file());
            if let Some(found) = found {
                if taken.insert(found.canonicalize().unwrap_or_else(|_| found.clone())) {
                    out.push(found);
                }
            }
        }
    }
    out
}

/// The blob names a manifest at `path` lists as written (their folders kept), when it is one.
fn names_in(path: &Path) -> Option<Vec<String>> {
    let mut head = Vec::new();
    let file = std::fs::File::open(path).ok()?;
    file.take(4096).read_to_end(&mut head).ok()?;
    if !looks_like(&head) {
        return None;
    }
    let text = std::fs::read(path).ok()?;
    if text.len() as u64 > MAX_MANIFEST {
        return None;
    }
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text);
    let object: Map<String, Value> = serde_json::from_slice(text).ok()?;
    let Some(Value::Array(list)) = field(&object, "blobs") else {
        return None;
    };
    Some(
        list.iter()
            .filter_map(|b| b.as_object().and_then(blob_name))
            .map(String::from)
            .collect(),
    )
}
