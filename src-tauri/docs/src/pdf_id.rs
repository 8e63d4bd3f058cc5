//! A PDF's trailer `/ID` from the document's own bytes, so the same document is the same
//! file byte for byte (a reprint has the first print's SHA-256).

/// Replaces the trailer's random `/ID` (two 32-character strings printpdf draws from a
/// counter) with two drawn from the document's own bytes, in place and of the same length
/// (no offset moves): the same document gives the same file, byte for byte.
pub(crate) fn stable_id(bytes: &mut [u8]) {
    const KEY: &[u8] = b"/ID[(";
    let Some(at) = bytes.windows(KEY.len()).rposition(|w| w == KEY) else {
        return;
    };
    let first = at + KEY.len();
    let second = first + 32 + 2; // "...)(" between the two strings
    if bytes.len() < second + 32 || &bytes[first + 32..second] != b")(" {
        return;
    }
    // FNV-1a over everything but the two strings, run twice with different seeds.
    let hash = |seed: u64| {
        let mut h = seed;
        for (i, b) in bytes.iter().enumerate() {
            if (first..first + 32).contains(&i) || (second..second + 32).contains(&i) {
                continue;
            }
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let digits = |mut h: u64, out: &mut [u8]| {
        for (i, slot) in out.iter_mut().enumerate() {
            if i % 16 == 0 && i > 0 {
                h = h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
            }
            *slot = b'A' + (h % 16) as u8;
            h /= 16;
        }
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x8422_2325_cbf2_9ce4));
    digits(a, &mut bytes[first..first + 32]);
    digits(b, &mut bytes[second..second + 32]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_bytes_get_the_same_id_and_other_bytes_another() {
        let doc = |body: &str, id: &str| {
            format!("%PDF-1.7\n{body}\ntrailer<</ID[({id})({id})]>>").into_bytes()
        };
        let (mut a, mut b) = (doc("x", &"A".repeat(32)), doc("x", &"B".repeat(32)));
        super::stable_id(&mut a);
        super::stable_id(&mut b);
        assert_eq!(a, b, "the random ids are replaced by the same one");
        let mut c = doc("y", &"A".repeat(32));
        super::stable_id(&mut c);
        assert_ne!(a, c);
        assert_eq!(a.len(), doc("x", &"A".repeat(32)).len(), "no offset moves");
    }
}
