//! The layout engine's tests: wrapping and the table of advances.

use super::*;

/// The table of advances says what the font itself says, for every character of the
/// Basic Multilingual Plane, in both fonts.
#[test]
fn the_advance_table_agrees_with_the_font() {
    for f in [font(), fallback()] {
        let upem = f.face.units_per_em() as f32;
        for cp in 0..0x1_0000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let slow = f
                .face
                .glyph_index(c)
                .filter(|g| g.0 != 0)
                .and_then(|g| f.face.glyph_hor_advance(g))
                .map(|a| a as f32 / upem);
            assert_eq!(f.advance_em(c), slow, "U+{cp:04X}");
            assert_eq!(f.has(c), slow.is_some(), "U+{cp:04X}");
        }
    }
}

#[test]
fn latin_wraps_at_spaces_and_chinese_between_characters() {
    let f = font();
    let lines = wrap(f, "the quick brown fox jumps over the lazy dog", 10.0, 60.0);
    assert!(lines.len() > 2);
    assert!(lines.iter().all(|l| f.width(l, 10.0) <= 60.0));
    assert_eq!(
        lines.join(" "),
        "the quick brown fox jumps over the lazy dog"
    );
    let zh = wrap(
        f,
        "請於期限前支付款項，謝謝您。若您已付款，請忽略本提醒。",
        10.0,
        55.0,
    );
    assert!(zh.len() > 2);
    assert!(zh
        .iter()
        .all(|l| !l.starts_with('，') && !l.starts_with('。')));
    assert_eq!(
        zh.concat(),
        "請於期限前支付款項，謝謝您。若您已付款，請忽略本提醒。"
    );
}
