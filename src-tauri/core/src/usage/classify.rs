//! What a meter is, for the misuse detectors, and what its quantity measures.
//!
//! Meter strings are not documented exactly (FORMATS.md: "use patterns, not exact
//! strings"), so the rules read the names the way Azure's price sheet writes them:
//!
//! * Virtual machines (categories Virtual Machines, Machine Learning, Batch, Cloud
//!   Services; not their licences): the size is parsed with the VM size grammar
//!   (`[Standard_]FAMILY VCPUS[-CONSTRAINED][features][_ACCELERATOR] [vN]`, as in `D4s v5`,
//!   `M416ms v2`, `E32-8s v5`, `NC4as T4 v3`, `ND96isr H100 v5`). GPU families are NC, ND,
//!   NG, NV; HPC families HB, HC, HX ([`MeterClass::Gpu`]); another size with at least
//!   [`LARGE_VM_VCPUS`] vCPUs is [`MeterClass::LargeVm`]; the rest [`MeterClass::Vm`]. A
//!   number is a vCPU count only where the grammar puts it, never any number in a name.
//! * Data transfer: only transfer *out* to the internet counts as egress
//!   ([`MeterClass::Egress`]: `Standard Data Transfer Out`, `Data Transfer Out (GB)`);
//!   inbound (`Data Transfer In`), transfer inside Azure (Inter-Region, Inter-Availability
//!   Zone, intra/inter-continent, VNet peering, ExpressRoute) and gateways (NAT Gateway,
//!   VPN) are [`MeterClass::Transfer`], which no detector treats as spam's shape.
//! * Messaging (e-mail, SMS, push notifications): [`MeterClass::Messaging`].
//!
//! Quantities are normalised by the unit of measure ([`Unit::parse`]): `10 Hours` of
//! quantity 2.4 is 24 hours, `1 TB` of quantity 3 is 3,072 GB, `1K` of quantity 5 is 5,000
//! messages. A quantity whose unit does not fit the class (GB of a VM) is not counted.

use rust_decimal::Decimal;

/// vCPU count from which a VM size counts as large.
pub const LARGE_VM_VCPUS: u32 = 32;

/// The version of these rules; meters and days stored under an older one are classified
/// again when the database is opened (see [`super::reclassify`]).
pub const RULES_VERSION: &str = "3";

/// What a meter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeterClass {
    Gpu,
    LargeVm,
    Vm,
    Egress,
    Transfer,
    Messaging,
    Other,
}

impl MeterClass {
    /// The text kept in `usage_meters.class`.
    pub fn as_str(self) -> &'static str {
        match self {
            MeterClass::Gpu => "gpu",
            MeterClass::LargeVm => "large_vm",
            MeterClass::Vm => "vm",
            MeterClass::Egress => "egress",
            MeterClass::Transfer => "transfer",
            MeterClass::Messaging => "messaging",
            MeterClass::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<MeterClass> {
        [
            MeterClass::Gpu,
            MeterClass::LargeVm,
            MeterClass::Vm,
            MeterClass::Egress,
            MeterClass::Transfer,
            MeterClass::Messaging,
            MeterClass::Other,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }

    /// The base unit the detectors read this class's quantity in.
    pub fn base(self) -> Option<Base> {
        match self {
            MeterClass::Gpu | MeterClass::LargeVm | MeterClass::Vm => Some(Base::Hour),
            MeterClass::Egress | MeterClass::Transfer => Some(Base::Gigabyte),
            MeterClass::Messaging => Some(Base::Count),
            MeterClass::Other => None,
        }
    }
}

/// A base unit of measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Hour,
    Gigabyte,
    Count,
}

/// A unit of measure as the files write it: a multiple of a base unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub per: Decimal,
    pub base: Base,
}

impl Unit {
    /// `1 Hour`, `10 Hours`, `100 Hours`, `1 GB`, `10 GB`, `1 TB`, `1 MB`, `1K`, `10K`,
    /// `1M`, `1 Message`, `1000 Transactions`; `None` for a unit over time (`1 GB/Month`)
    /// or one not known.
    pub fn parse(text: &str) -> Option<Unit> {
        let t = text.trim().to_ascii_lowercase();
        if t.contains('/') {
            return None;
        }
        let digits: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .filter(|c| *c != ',')
            .collect();
        let rest = t[t
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
            .map(|(i, _)| i)
            .unwrap_or(t.len())..]
            .trim();
        let mut n: Decimal = if digits.is_empty() {
            Decimal::ONE
        } else {
            digits.parse().ok()?
        };
        let (mult, word) = match rest.split_once(char::is_whitespace) {
            Some((m @ ("k" | "m"), w)) => (Some(m), w.trim()),
            _ => match rest {
                "k" | "m" => (Some(rest), ""),
                _ => (None, rest),
            },
        };
        match mult {
            Some("k") => n *= Decimal::from(1_000),
            Some("m") => n *= Decimal::from(1_000_000),
            _ => {}
        }
        let (scale, base) = match word {
            "hour" | "hours" | "hr" | "hrs" | "h" => (Decimal::ONE, Base::Hour),
            "minute" | "minutes" => (Decimal::ONE / Decimal::from(60), Base::Hour),
            "gb" | "gib" => (Decimal::ONE, Base::Gigabyte),
            "tb" | "tib" => (Decimal::from(1024), Base::Gigabyte),
            "mb" | "mib" => (Decimal::ONE / Decimal::from(1024), Base::Gigabyte),
            "" | "count" | "message" | "messages" | "email" | "emails" | "sms" | "push"
            | "pushes" | "transaction" | "transactions" | "unit" | "units" => {
                (Decimal::ONE, Base::Count)
            }
            _ => return None,
        };
        Some(Unit {
            per: n * scale,
            base,
        })
    }
}

/// A quantity of `unit` in the base unit the class is read in (None: does not apply). A
/// file that gives no unit at all is taken to count in the class's own base unit (hours of
/// a VM, GB of transfer), as Azure meters do.
pub fn normalised(class: MeterClass, unit: &str, quantity: Decimal) -> Option<Decimal> {
    let want = class.base()?;
    if unit.trim().is_empty() {
        return Some(quantity);
    }
    let u = Unit::parse(unit)?;
    (u.base == want).then(|| quantity.checked_mul(u.per).unwrap_or(Decimal::MAX))
}

/// A VM size as its name writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmSize {
    pub family: String,
    pub vcpus: u32,
}

const GPU_HPC_FAMILIES: &[&str] = &["NC", "ND", "NG", "NV", "HB", "HC", "HX"];

/// Parses one word of the VM size grammar: `D4s`, `Standard_NC24ads_A100_v4`, `E32-8s`,
/// `M416ms`, `HB120rs`, `B2ms`. The family is 1-3 capital letters, the vCPU count the
/// digits right after it (the constrained count after `-` where there is one), features
/// are lower-case letters. Anything else (`32`, `P10`, `S2`, `LRS`) is not a VM size
/// unless it is under a VM category, which the caller decides.
pub fn vm_size(word: &str) -> Option<VmSize> {
    let w = word.strip_prefix("Standard_").unwrap_or(word);
    let w = w.split('_').next().unwrap_or(w);
    let family: String = w.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    if family.is_empty() || family.len() > 3 {
        return None;
    }
    let rest = &w[family.len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let mut tail = &rest[digits.len()..];
    let mut vcpus: u32 = digits.parse().ok()?;
    if let Some(constrained) = tail.strip_prefix('-') {
        let d: String = constrained
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        vcpus = d.parse().ok()?;
        tail = &constrained[d.len()..];
    }
    if !tail.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    Some(VmSize { family, vcpus })
}

fn is_gpu_family(family: &str) -> bool {
    GPU_HPC_FAMILIES.iter().any(|f| family.starts_with(f))
}

/// A series name (`NCSv3 Series`, `NCasT4 v3 Series`, `NC Series`, `HBv3 Series`) of a GPU
/// or HPC family.
fn is_gpu_series(subcategory: &str) -> bool {
    let Some(first) = subcategory.split_whitespace().next() else {
        return false;
    };
    let w = first.strip_prefix("Standard_").unwrap_or(first);
    GPU_HPC_FAMILIES.iter().any(|f| {
        w.strip_prefix(f).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                || rest.starts_with("S")
        })
    })
}

fn is_vm_category(cat: &str) -> bool {
    (cat.contains("virtual machine") && !cat.contains("licen"))
        || cat.contains("machine learning")
        || cat == "batch"
        || cat.contains("cloud services")
}

/// The class of a meter from its category, subcategory and name.
pub fn classify(category: &str, subcategory: &str, meter: &str) -> MeterClass {
    let cat = category.trim().to_ascii_lowercase();
    if is_vm_category(&cat) {
        let size = meter.split_whitespace().find_map(vm_size);
        let gpu = size.as_ref().is_some_and(|s| is_gpu_family(&s.family))
            || (size.is_none() && is_gpu_series(subcategory));
        if gpu {
            return MeterClass::Gpu;
        }
        if size.is_some_and(|s| s.vcpus >= LARGE_VM_VCPUS) {
            return MeterClass::LargeVm;
        }
        return MeterClass::Vm;
    }
    let all = format!(
        "{cat} | {} | {}",
        subcategory.to_ascii_lowercase(),
        meter.to_ascii_lowercase()
    );
    let has = |words: &[&str]| words.iter().any(|w| all.contains(w));
    // Gateways and private circuits: traffic they carry is not the customer's internet egress.
    if has(&[
        "nat gateway",
        "vpn gateway",
        "vpn",
        "expressroute",
        "express route",
        "application gateway",
        "virtual wan",
    ]) {
        return MeterClass::Transfer;
    }
    if has(&[
        "inter-region",
        "inter region",
        "interregion",
        "inter-availability zone",
        "inter availability zone",
        "inter-az",
        "intra continent",
        "intra-continent",
        "inter continent",
        "inter-continent",
        "vnet peering",
        "virtual network peering",
        "peering",
        "global vnet",
    ]) {
        return MeterClass::Transfer;
    }
    if has(&[
        "data transfer in",
        "transfer in ",
        "ingress",
        "inbound",
        "data in",
    ]) && !has(&["data transfer out", "egress", "outbound"])
    {
        return MeterClass::Transfer;
    }
    if has(&[
        "data transfer out",
        "transfer out",
        "egress",
        "outbound",
        "internet",
    ]) {
        return MeterClass::Egress;
    }
    if cat.contains("bandwidth") || has(&["data transfer"]) {
        // A transfer meter whose direction is not written: never counted as egress.
        return MeterClass::Transfer;
    }
    if has(&[
        "email",
        "e-mail",
        "sms",
        "communication services",
        "notification hub",
        "sendgrid",
    ]) {
        return MeterClass::Messaging;
    }
    MeterClass::Other
}
