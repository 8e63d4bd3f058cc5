//! What a meter is: every row of a table of real Azure price-sheet meter names, the VM size
//! grammar and units of measure (`usage/classify.rs`).

use riskdesk_core::usage::classify::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Real Azure price-sheet meter names, each with the class it must get.
const TABLE: &[(&str, &str, &str, MeterClass)] = &[
    // Data transfer
    (
        "Bandwidth",
        "Rtn Preference: MGN",
        "Standard Data Transfer Out",
        MeterClass::Egress,
    ),
    (
        "Bandwidth",
        "Rtn Preference: ISP",
        "Standard Data Transfer Out",
        MeterClass::Egress,
    ),
    (
        "Bandwidth",
        "",
        "Data Transfer Out (GB)",
        MeterClass::Egress,
    ),
    (
        "Bandwidth",
        "Rtn Preference: MGN",
        "Standard Data Transfer In",
        MeterClass::Transfer,
    ),
    (
        "Bandwidth",
        "",
        "Data Transfer In (GB)",
        MeterClass::Transfer,
    ),
    (
        "Bandwidth",
        "Inter-Region",
        "Intra Continent Data Transfer Out",
        MeterClass::Transfer,
    ),
    (
        "Bandwidth",
        "Inter-Region",
        "Inter Continent Data Transfer Out - NAM or EU To Any",
        MeterClass::Transfer,
    ),
    (
        "Bandwidth",
        "Inter Availability Zone",
        "Inter Availability Zone Data Transfer In",
        MeterClass::Transfer,
    ),
    (
        "Bandwidth",
        "Inter Availability Zone",
        "Inter Availability Zone Data Transfer Out",
        MeterClass::Transfer,
    ),
    (
        "Virtual Network",
        "Peering",
        "Intra-Region Ingress",
        MeterClass::Transfer,
    ),
    (
        "Virtual Network",
        "Peering",
        "Intra-Region Egress",
        MeterClass::Transfer,
    ),
    (
        "NAT Gateway",
        "",
        "Standard Data Processed",
        MeterClass::Transfer,
    ),
    ("VPN Gateway", "VPN Gateway", "VpnGw1", MeterClass::Transfer),
    (
        "ExpressRoute",
        "ExpressRoute",
        "Standard Metered Data",
        MeterClass::Transfer,
    ),
    (
        "ExpressRoute",
        "ExpressRoute",
        "Data Transfer Out",
        MeterClass::Transfer,
    ),
    ("Bandwidth", "", "Data Transfer", MeterClass::Transfer),
    // GPU and HPC series
    (
        "Virtual Machines",
        "NCSv3 Series",
        "NC6s v3",
        MeterClass::Gpu,
    ),
    (
        "Virtual Machines",
        "NCSv3 Series",
        "NC24s v3",
        MeterClass::Gpu,
    ),
    (
        "Virtual Machines",
        "NCasT4 v3 Series",
        "NC4as T4 v3",
        MeterClass::Gpu,
    ),
    (
        "Virtual Machines",
        "NCads A100 v4 Series",
        "NC24ads A100 v4",
        MeterClass::Gpu,
    ),
    (
        "Virtual Machines",
        "ND H100 v5 Series",
        "ND96isr H100 v5",
        MeterClass::Gpu,
    ),
    (
        "Virtual Machines",
        "NDv2 Series",
        "ND40rs v2",
        MeterClass::Gpu,
    ),
    (
        "Virtual Machines",
        "NVadsA10 v5 Series",
        "NV36ads A10 v5",
        MeterClass::Gpu,
    ),
    (
        "Virtual Machines",
        "NGads V620 Series",
        "NG32ads V620 v1",
        MeterClass::Gpu,
    ),
    (
        "Virtual Machines",
        "HBv3 Series",
        "HB120rs v3",
        MeterClass::Gpu,
    ),
    ("Virtual Machines", "HC Series", "HC44rs", MeterClass::Gpu),
    ("Virtual Machines", "HX Series", "HX176rs", MeterClass::Gpu),
    (
        "Virtual Machines",
        "NC Series",
        "NC6 Low Priority",
        MeterClass::Gpu,
    ),
    ("Virtual Machines", "NC Series", "Spot", MeterClass::Gpu),
    (
        "Machine Learning",
        "NCSv3 Series",
        "NC6s v3",
        MeterClass::Gpu,
    ),
    // Other sizes: vCPUs from the grammar only
    ("Virtual Machines", "Dsv5 Series", "D4s v5", MeterClass::Vm),
    ("Virtual Machines", "BS Series", "B2ms", MeterClass::Vm),
    (
        "Virtual Machines",
        "Dsv5 Series",
        "D64s v5",
        MeterClass::LargeVm,
    ),
    (
        "Virtual Machines",
        "Easv5 Series",
        "E96as v5",
        MeterClass::LargeVm,
    ),
    (
        "Virtual Machines",
        "Msv2 Series",
        "M416ms v2",
        MeterClass::LargeVm,
    ),
    (
        "Virtual Machines",
        "Esv5 Series",
        "E32-8s v5",
        MeterClass::Vm,
    ),
    (
        "Virtual Machines",
        "Dv2 Series",
        "D2 v2 - 32 GB Temp",
        MeterClass::Vm,
    ),
    (
        "Virtual Machines",
        "Dsv5 Series Windows",
        "D8s v5 Spot",
        MeterClass::Vm,
    ),
    ("Virtual Machines", "Av2 Series", "A8m v2", MeterClass::Vm),
    // Not VMs at all
    (
        "Virtual Machine Licenses",
        "NC Series",
        "NC6",
        MeterClass::Other,
    ),
    (
        "Storage",
        "Premium SSD Managed Disks",
        "P10 LRS Disk",
        MeterClass::Other,
    ),
    ("Storage", "Files", "LRS Data Stored", MeterClass::Other),
    (
        "SQL Database",
        "Single Standard",
        "S2 DTUs",
        MeterClass::Other,
    ),
    (
        "Storage",
        "Standard Page Blob",
        "LRS Data Stored 32 TB",
        MeterClass::Other,
    ),
    // Messaging
    (
        "Communication Services",
        "Email",
        "Emails Sent",
        MeterClass::Messaging,
    ),
    (
        "Communication Services",
        "SMS",
        "Standard Messages Sent",
        MeterClass::Messaging,
    ),
    (
        "Notification Hubs",
        "Standard",
        "Pushes",
        MeterClass::Messaging,
    ),
];

#[test]
fn every_meter_of_the_table_gets_its_class() {
    for (cat, sub, meter, want) in TABLE {
        assert_eq!(classify(cat, sub, meter), *want, "{cat} / {sub} / {meter}");
    }
}

#[test]
fn vm_sizes_follow_the_grammar() {
    let v = |w: &str| vm_size(w).map(|s| (s.family, s.vcpus));
    assert_eq!(v("D4s"), Some(("D".into(), 4)));
    assert_eq!(v("M416ms"), Some(("M".into(), 416)));
    assert_eq!(v("E32-8s"), Some(("E".into(), 8)));
    assert_eq!(v("Standard_NC24ads_A100_v4"), Some(("NC".into(), 24)));
    assert_eq!(v("HB120rs"), Some(("HB".into(), 120)));
    assert_eq!(v("32"), None);
    assert_eq!(v("GB"), None);
    assert_eq!(v("v5"), None);
    assert_eq!(v("T4"), Some(("T".into(), 4)));
}

#[test]
fn units_are_normalised_to_hours_gigabytes_and_counts() {
    let n = |c, u, q| normalised(c, u, d(q));
    assert_eq!(n(MeterClass::Gpu, "1 Hour", "3"), Some(d("3")));
    assert_eq!(n(MeterClass::Gpu, "10 Hours", "2.4"), Some(d("24")));
    assert_eq!(n(MeterClass::Gpu, "100 Hours", "0.05"), Some(d("5")));
    assert_eq!(n(MeterClass::Egress, "1 GB", "7"), Some(d("7")));
    assert_eq!(n(MeterClass::Egress, "10 GB", "7"), Some(d("70")));
    assert_eq!(n(MeterClass::Egress, "1 TB", "2"), Some(d("2048")));
    assert_eq!(n(MeterClass::Messaging, "1K", "5"), Some(d("5000")));
    assert_eq!(n(MeterClass::Messaging, "10K", "1"), Some(d("10000")));
    assert_eq!(n(MeterClass::Messaging, "1M", "2"), Some(d("2000000")));
    // A unit that does not fit the class, or over time, is not counted.
    assert_eq!(n(MeterClass::Egress, "1 Hour", "5"), None);
    assert_eq!(n(MeterClass::Egress, "1 GB/Month", "5"), None);
    assert_eq!(n(MeterClass::Other, "1 GB", "5"), None);
    // No unit at all: the class's own base unit.
    assert_eq!(n(MeterClass::Gpu, "", "24"), Some(d("24")));
}
