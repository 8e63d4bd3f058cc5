//! Numbers written in Chinese inside an address: `忠孝東路四段`, `五樓`, `三十二巷` are the
//! `4段`, `5樓`, `32巷` people also type. Only a number right before an address unit
//! (段 section, 巷 lane, 弄 alley, 號 number, 樓 floor, 鄰 neighbourhood) is one, and the
//! numbers either side of the 之 that joins a sub-number to its number or floor
//! (`一百之一號`, `五樓之二`); a numeral in a name (`九如路`, `八德路`, `五股區`) is left as
//! it is.

/// The units a number stands before in a Taiwanese address.
const UNITS: &[char] = &['段', '巷', '弄', '號', '樓', '鄰'];

fn digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or(match c {
            '零' => Some(0),
            '兩' => Some(2),
            _ => None,
        })
}

fn power(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// The value of a run of numerals: counted (`三十二`, `一百零五`, `十`) or written digit by
/// digit (`一〇五`). `None` where the run is no number (`十十`).
fn value(run: &[char]) -> Option<u32> {
    if !run.iter().any(|c| power(*c).is_some()) {
        return run
            .iter()
            .try_fold(0u32, |n, c| n.checked_mul(10)?.checked_add(digit(*c)?));
    }
    let (mut total, mut pending, mut last_power) = (0u32, None::<u32>, u32::MAX);
    for c in run {
        if let Some(p) = power(*c) {
            if p >= last_power {
                return None;
            }
            total += pending.take().unwrap_or(1) * p;
            last_power = p;
        } else {
            let d = digit(*c)?;
            if pending.is_some() && d != 0 {
                return None;
            }
            pending = (d != 0).then_some(d).or(pending);
        }
    }
    Some(total + pending.unwrap_or(0))
}

/// `text` with each Chinese number before an address unit written in digits.
pub(crate) fn in_digits(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let numeral = |c: char| digit(c).is_some() || power(c).is_some();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| numeral(**c)).count();
        if run == 0 {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = i + run;
        let counts = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_digit() || numeral(*c));
        let before_unit = chars.get(end).is_some_and(|c| UNITS.contains(c))
            || (chars.get(end) == Some(&'之') && counts(chars.get(end + 1)));
        // After a 之 that follows a number or a unit: `之一` in `一百之一號`, `五樓之一`.
        let after_join = i >= 2
            && chars[i - 1] == '之'
            && (counts(chars.get(i - 2)) || UNITS.contains(&chars[i - 2]));
        match value(&chars[i..end]).filter(|_| before_unit || after_join) {
            Some(n) => out.push_str(&n.to_string()),
            None => out.extend(&chars[i..end]),
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_before_an_address_unit_are_digits() {
        for (written, digits) in [
            ("忠孝東路四段", "忠孝東路4段"),
            ("五樓", "5樓"),
            ("十樓", "10樓"),
            ("十二樓", "12樓"),
            ("二十樓", "20樓"),
            ("三十二巷", "32巷"),
            ("一百零五號", "105號"),
            ("一〇五號", "105號"),
            ("一百號", "100號"),
            ("兩百一十號", "210號"),
            ("二鄰", "2鄰"),
            ("一百之一號", "100之1號"),
            ("五樓之二", "5樓之2"),
            ("100之三號", "100之3號"),
            // 之 in a name joins no number: 三之橋 stays.
            ("三之橋", "三之橋"),
            // Numerals in names stay: 九如路, 八德路三段, 五股區, 十全路.
            ("九如路", "九如路"),
            ("八德路三段", "八德路3段"),
            ("新北市五股區", "新北市五股區"),
            ("十全路", "十全路"),
            // Not a number: left as written.
            ("十十號", "十十號"),
            ("五十二百號", "五十二百號"),
        ] {
            assert_eq!(in_digits(written), digits, "{written}");
        }
    }
}
