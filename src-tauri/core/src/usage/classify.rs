//! What a meter is, for the misuse detectors. Meter strings are not documented exactly
//! (FORMATS.md: "use patterns, not exact strings"), so the rules look at word shapes:
//!
//! * `gpu`: a virtual-machine or machine-learning meter of a GPU or HPC family: a word
//!   starting NC, ND, NV, NG (GPU) or HB, HC, HX (HPC) followed by a digit or letter, as
//!   in `NCSv3 Series`, `NC24s v3`, `ND H100 v5 Series`, `NVadsA10 v5`, `HB120rs v3`.
//! * `large_vm`: another VM size with at least [`LARGE_VM_CORES`] cores (the number in the
//!   size name, `D64s v5`, `E96as v5`).
//! * `vm`: any other virtual machine.
//! * `egress`: outbound data transfer (`Bandwidth`, `Data Transfer Out`, `Egress`).
//! * `messaging`: e-mail, SMS and notification meters (spam's shape).
//! * `other`.

/// Core count from which a VM size counts as large.
pub const LARGE_VM_CORES: u32 = 32;

const GPU_HPC_FAMILIES: &[&str] = &["NC", "ND", "NV", "NG", "HB", "HC", "HX"];

pub fn classify(category: &str, subcategory: &str, meter: &str) -> &'static str {
    let cat = category.to_ascii_lowercase();
    let all = format!(
        "{cat} {} {}",
        subcategory.to_ascii_lowercase(),
        meter.to_ascii_lowercase()
    );
    let is_vm = (cat.contains("virtual machine") && !cat.contains("licen"))
        || cat.contains("machine learning")
        || cat.contains("batch")
        || cat.contains("cloud services");
    if is_vm {
        let words = subcategory
            .split_whitespace()
            .chain(meter.split_whitespace());
        if words.clone().any(is_gpu_word) {
            return "gpu";
        }
        if meter.split_whitespace().any(|w| cores(w) >= LARGE_VM_CORES) {
            return "large_vm";
        }
        return "vm";
    }
    if cat.contains("bandwidth")
        || all.contains("data transfer out")
        || all.contains("egress")
        || all.contains("outbound")
    {
        return "egress";
    }
    if all.contains("email")
        || all.contains("e-mail")
        || all.contains("sms")
        || all.contains("communication services")
        || all.contains("notification hub")
    {
        return "messaging";
    }
    "other"
}

fn is_gpu_word(w: &str) -> bool {
    let w = w.strip_prefix("Standard_").unwrap_or(w);
    let up = w.to_ascii_uppercase();
    GPU_HPC_FAMILIES.iter().any(|f| {
        up.starts_with(f)
            && up[f.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
    }) || (up.len() == 2 && GPU_HPC_FAMILIES.contains(&up.as_str()))
}

/// The core count in a size name: the digits after the leading family letters
/// (`D64s` → 64, `M128ms` → 128); 0 when there are none.
fn cores(w: &str) -> u32 {
    let w = w.strip_prefix("Standard_").unwrap_or(w);
    let digits: String = w
        .chars()
        .skip_while(|c| c.is_ascii_alphabetic())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::classify;

    #[test]
    fn gpu_and_hpc_families_in_their_documented_shapes() {
        for (sub, meter) in [
            ("NCSv3 Series", "NC6s v3"),
            ("NCSv3 Series", "NC24s v3"),
            ("NCasT4 v3 Series", "NC4as T4 v3"),
            ("ND H100 v5 Series", "ND96isr H100 v5"),
            ("NVadsA10 v5 Series", "NV36ads A10 v5"),
            ("HBv3 Series", "HB120rs v3"),
            ("HC Series", "HC44rs"),
        ] {
            assert_eq!(
                classify("Virtual Machines", sub, meter),
                "gpu",
                "{sub} {meter}"
            );
        }
    }

    #[test]
    fn ordinary_meters_are_not_gpu() {
        assert_eq!(classify("Virtual Machines", "Dsv5 Series", "D4s v5"), "vm");
        assert_eq!(classify("Virtual Machines", "BS Series", "B2ms"), "vm");
        assert_eq!(
            classify("Virtual Machines", "Dsv5 Series", "D64s v5"),
            "large_vm"
        );
        assert_eq!(
            classify("Virtual Machine Licenses", "NC Series", "NC6"),
            "other"
        );
        assert_eq!(
            classify("Storage", "Premium SSD Managed Disks", "P10 LRS Disk"),
            "other"
        );
        assert_eq!(
            classify(
                "Bandwidth",
                "Rtn Preference: MGN",
                "Standard Data Transfer Out"
            ),
            "egress"
        );
        assert_eq!(
            classify("Communication Services", "Email", "Emails Sent"),
            "messaging"
        );
        assert_eq!(classify("Storage", "Files", "LRS Data Stored"), "other");
    }
}
