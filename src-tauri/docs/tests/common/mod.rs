//! What the document tests share: a PDF's text as `pdftotext` gives it back.

use std::process::Command;

/// The text of `pdf`, laid out as on the page with `layout`.
pub fn pdftotext(pdf: &[u8], layout: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd
        .args([path.as_os_str(), "-".as_ref()])
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext (poppler-utils) is needed for the PDF tests and could not run: {e}")
        });
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
