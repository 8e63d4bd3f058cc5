//! The automated sign-up rule: look-alike batches (one tax id, phone, mailbox, e-mail
//! domain, address or company name however it is written) and the honest customers that
//! are none.

use riskdesk_core::customer::{self, CustomerInput};
use riskdesk_core::risk;
use riskdesk_core::test_support::{ctx, ctx_on, customer_input, d};
use rusqlite::Connection;

mod risk_common;
use risk_common::{add, db, score_of};

#[test]
fn a_lookalike_batch_is_flagged_and_honest_customers_sharing_gmail_are_not() {
    let (_d, mut conn) = db();
    let mut batch = Vec::new();
    for (i, name) in ["Alpha Cloud", "Beta Cloud", "Gamma Cloud"]
        .iter()
        .enumerate()
    {
        batch.push(add(&mut conn, name, |c| {
            c.email = format!("admin{i}@quick-cloud-deals.biz");
        }));
    }
    let mut honest = Vec::new();
    for (i, name) in ["Tea House", "Bike Shop", "Noodle Bar", "Book Store"]
        .iter()
        .enumerate()
    {
        honest.push(add(&mut conn, name, |c| {
            c.email = format!("owner{i}@gmail.com");
            c.phone = format!("+886 2 2345 67{i:02}");
        }));
    }
    for id in &batch {
        let r = score_of(&conn, *id);
        let f = r
            .factors
            .iter()
            .find(|f| f.key == "automated_signup")
            .expect("flagged");
        assert!(
            f.evidence.contains("quick-cloud-deals.biz"),
            "{}",
            f.evidence
        );
        assert_eq!(
            f.evidence_zh,
            "電子郵件網域「quick-cloud-deals.biz」由 7 天內建立的 3 位客戶共用"
        );
        assert!(f.action_zh.contains("電話"));
    }
    for id in &honest {
        let r = score_of(&conn, *id);
        assert!(
            r.factors.iter().all(|f| f.key != "automated_signup"),
            "{:?}",
            r.factors
        );
    }
}

/// Three sign-ups from one office, its address written as people in Taiwan write it (postal
/// code or not, 臺 or 台, 5F or 5樓, 之 or a dash, full-width digits, simplified characters):
/// beside the e-mail domain that makes them a batch, the address is named as shared by all
/// three, as the first of them wrote it.
#[test]
fn one_taiwanese_address_written_three_ways_is_named_in_the_batch() {
    shared_address_is_named(
        [
            "110台北市信義區松仁路100之1號5樓",
            "臺北市信義區松仁路１００－１號 5F",
            "台湾 台北市信义区松仁路100-1号5 楼",
        ],
        "台北市信義區松仁路100 1號5f",
        "台北市信義區松仁路100之1號6樓",
    );
}

/// One office written in English, in traditional and in simplified Chinese: one place. Its
/// road, 重慶南路, is read `Chongqing` though 重 is most often `zhong`. The same road's other
/// section is another place.
#[test]
fn one_address_in_english_and_in_chinese_is_one_place() {
    shared_address_is_named(
        [
            "5F, No. 122, Sec. 1, Chongqing S. Rd., Zhongzheng Dist., Taipei City 100, Taiwan",
            "100臺北市中正區重慶南路一段122號5樓",
            "台北市中正区重庆南路1段122号5楼",
        ],
        "5f number 122 section 1 chongqing south road zhongzheng district taipei city",
        "No. 122, Sec. 2, Chongqing S. Rd., Taipei City, 5F",
    );
}

/// An office outside Taiwan, its parts in another order, abbreviated or not, with or without
/// its country: one place. The next suite is another, and so is the unit numbered as the
/// other's house.
#[test]
fn one_address_abroad_in_another_order_is_one_place() {
    shared_address_is_named(
        [
            "Suite 400, 123 Main St., Austin, TX 78701, USA",
            "123 Main Street, Suite 400, Austin TX 78701",
            "123 MAIN ST STE 400 AUSTIN, TX 78701, United States",
        ],
        "suite 400 123 main street austin tx 78701",
        "123 Main St., Suite 401, Austin, TX 78701",
    );
    shared_address_is_named(
        [
            "Unit 5, 12 Harbour Rd, Wan Chai, Hong Kong",
            "12 Harbour Road, Unit 5, Wan Chai",
            "UNIT 5 12 HARBOUR RD WAN CHAI HONG KONG SAR",
        ],
        "unit 5 12 harbour road wan chai",
        "Unit 12, 5 Harbour Rd, Wan Chai, Hong Kong",
    );
}

/// One flat in Hong Kong, written as people there write it: Flat, Rm or Unit; 12/F or 12th
/// Floor; Mong Kok or Mongkok; the region and the country or not, written out or as
/// initials; its parts in another order. In Chinese: 香港九龍 before the district or not,
/// 12字樓 or 12樓, 室 or 單位, in traditional or simplified characters; and in either
/// language, with or without the district in English. The flat next door, the
/// house next door and the floor above are other places.
#[test]
fn one_flat_in_hong_kong_written_three_ways_is_named_in_the_batch() {
    shared_address_is_named(
        [
            "Flat A, 12/F, Wing On Building, 123 Nathan Road, Mong Kok, Kowloon, Hong Kong",
            "Rm A 12th Floor Wing On Bldg 123 Nathan Rd Mongkok KLN HK",
            "123 NATHAN RD., WING ON BLDG., UNIT A, 12/F., MONG KOK, H.K.",
        ],
        "unit a 12f wing on building 123 nathan road mong kok",
        "Flat A, 12/F, Wing On Building, 125 Nathan Road, Mong Kok, Kowloon",
    );
    shared_address_is_named(
        [
            "香港九龍旺角彌敦道123號永安大廈12樓A室",
            "九龍旺角彌敦道123號永安大廈12字樓A單位",
            "香港九龙旺角弥敦道123号永安大厦12楼A室",
        ],
        "旺角彌敦道123號永安大廈12fa室",
        "香港九龍旺角彌敦道123號永安大廈13樓A室",
    );
    // In English and in Chinese: one place by its road (彌敦道 is Nathan Road), house
    // number, floor and flat.
    shared_address_is_named(
        [
            "Flat A, 12/F, Wing On Building, 123 Nathan Road, Mong Kok, Kowloon",
            "香港九龍旺角彌敦道123號永安大廈12樓A室",
            "九龙旺角弥敦道123号12楼A单位",
        ],
        "unit a 12f wing on building 123 nathan road mong kok",
        "香港九龍旺角彌敦道123號永安大廈12樓B室",
    );
    // In English with only the region beside the road (no district): one place with the
    // Chinese forms all the same.
    shared_address_is_named(
        [
            "Flat A, 12/F, 123 Nathan Road, Kowloon",
            "香港九龍旺角彌敦道123號永安大廈12樓A室",
            "Rm A, 12/F, 123 Nathan Rd, Hong Kong",
        ],
        "unit a 12f 123 nathan road",
        "Flat A, 12/F, 123 Nathan Road, Darwin",
    );
}

/// Three sign-ups at `addresses` and a fourth at `elsewhere`, all four a batch by their
/// e-mail domain: the three are named as sharing the address (`shown`, as the first wrote
/// it, in the form compared), the fourth is not.
fn shared_address_is_named(addresses: [&str; 3], shown: &str, elsewhere: &str) {
    let (_d, mut conn) = db();
    let mut batch = Vec::new();
    for (i, (name, address)) in ["Apple Trading", "Bamboo Media", "Cedar Works"]
        .iter()
        .zip(addresses)
        .enumerate()
    {
        batch.push(add(&mut conn, name, |c| {
            c.email = format!("ops{i}@cheap-cloud-deals.biz");
            c.address = address.into();
        }));
    }
    let other = add(&mut conn, "Delta Foods", |c| {
        c.email = "ops9@cheap-cloud-deals.biz".into();
        c.address = elsewhere.into();
    });
    for id in &batch {
        let r = score_of(&conn, *id);
        let f = signup(&r).expect("the domain makes the batch");
        let named = format!("address {shown:?} shared by 3 customers");
        assert!(f.evidence.contains(&named), "{}", f.evidence);
    }
    let r = score_of(&conn, other);
    let f = signup(&r).expect("in the batch by its domain");
    assert!(!f.evidence.contains("address"), "elsewhere: {}", f.evidence);
}

/// One unified business number behind three sign-ups, as typed, spaced, and as a re-saved
/// spreadsheet keeps it without its leading zero; one mobile number written three ways,
/// the trunk zero lost once too. Another number is not in the batch.
#[test]
fn one_tax_id_and_one_mobile_written_three_ways_are_a_batch() {
    let (_d, mut conn) = db();
    let written = [
        ("04595257", "0912-345-678"),
        ("0459 5257", "+886 912 345 678"),
        ("4595257", "912345678"),
    ];
    let mut batch = Vec::new();
    for (name, (tax, phone)) in ["Apple Trading", "Bamboo Media", "Cedar Works"]
        .iter()
        .zip(written)
    {
        batch.push(add(&mut conn, name, |c| {
            c.tax_id = tax.into();
            c.phone = phone.into();
        }));
    }
    let other = add(&mut conn, "Delta Foods", |c| {
        c.tax_id = "45952570".into();
        c.phone = "0912-345-679".into();
    });
    for id in &batch {
        let r = score_of(&conn, *id);
        let f = signup(&r).expect("one tax id and one phone make a batch");
        for shared in [
            "tax id \"04595257\" shared by 3 customers",
            "phone \"+886912345678\" shared by 3 customers",
        ] {
            assert!(f.evidence.contains(shared), "{shared}: {}", f.evidence);
        }
    }
    assert!(signup(&score_of(&conn, other)).is_none());
}

/// Names as a ring in Taiwan writes them: one brand in three trades (速雲資訊 / 速云贸易 /
/// 速雲科技, one in simplified characters; Apex Cloud / ApexCloud / APEX-CLOUD), and one
/// company under three legal forms (Latin and Chinese, one half simplified), are batches by
/// name; honest companies named after their city (台北科技 / 台北貿易 / 台北資訊, Taipei
/// Trading / Taipei Logistics / Taipei Software Services), named with common words only
/// (Cloud Services / Cloud Trading / Global Trading), and three brands that merely share a
/// character are not.
/// One domain name under three endings, with and without its hyphen and in capitals, is a
/// batch, each domain named; a name too short to tell firms apart (`abc`) is none.
#[test]
fn one_domain_name_under_several_endings_is_a_batch() {
    let (_d, mut conn) = db();
    let sets = [
        (
            [
                "admin@apexcloud.com",
                "ops@apex-cloud.net",
                "it@APEXCLOUD.com.tw",
            ],
            ["Harbor Tea", "Summit Bikes", "River Noodles"],
        ),
        (
            ["admin@abc.com", "ops@abc.net", "it@a-bc.tw"],
            ["Lotus Dental", "Granite Law", "Maple Books"],
        ),
    ];
    let mut ids = Vec::new();
    for (emails, names) in sets {
        for (email, name) in emails.iter().zip(names) {
            ids.push(add(&mut conn, name, |c| c.email = email.to_string()));
        }
    }
    for (i, id) in ids.iter().enumerate() {
        let r = score_of(&conn, *id);
        let evidence = signup(&r).map(|f| f.evidence.clone());
        if i < 3 {
            assert_eq!(
                evidence.as_deref(),
                Some(
                    "e-mail domain \"apexcloud.com / apex-cloud.net / apexcloud.com.tw\" shared \
                     by 3 customers created within 7 days"
                ),
            );
        } else {
            assert_eq!(evidence, None, "{i}");
        }
    }
}

fn signup(r: &risk::RiskScore) -> Option<&risk::Factor> {
    r.factors.iter().find(|f| f.key == "automated_signup")
}

/// One free-mail mailbox behind three sign-ups, written three ways (dots, a `+tag` at
/// googlemail.com, capitals): one batch, named by the mailbox's one form.
#[test]
fn sign_ups_sharing_one_gmail_mailbox_however_written_are_a_batch() {
    let (_d, mut conn) = db();
    let spellings = [
        ("Orchid Trading", "Jason.Lin@gmail.com"),
        ("Pine Media", "jasonlin+tw@GoogleMail.com"),
        ("River Works", " J.A.S.O.N.L.I.N@Gmail.Com"),
    ];
    let mut batch = Vec::new();
    for (i, (name, mail)) in spellings.iter().enumerate() {
        batch.push(add(&mut conn, name, |c| {
            c.email = (*mail).into();
            c.phone = format!("+886 2 2345 67{i:02}");
        }));
    }
    for id in &batch {
        let r = score_of(&conn, *id);
        let f = signup(&r).expect("flagged");
        assert_eq!(
            f.evidence,
            "e-mail address \"jasonlin@gmail.com\" shared by 3 customers created within 7 days"
        );
        assert_eq!(
            f.evidence_zh,
            "電子郵件地址「jasonlin@gmail.com」由 7 天內建立的 3 位客戶共用"
        );
    }
}

/// The billing address counts as the contact address does; a customer giving one mailbox
/// twice is one customer, not two; one mailbox over sign-ups months apart is no batch.
#[test]
fn a_shared_billing_mailbox_links_and_a_repeated_one_counts_once() {
    let (_d, mut conn) = db();
    let a = add(&mut conn, "Kite Foods", |c| {
        c.email = "orders@yahoo.com.tw".into()
    });
    let b = add(&mut conn, "Lotus Labs", |c| {
        c.email = "lotus@outlook.com".into();
        c.billing_email = "Orders@Yahoo.com.tw".into();
    });
    assert!(signup(&score_of(&conn, a)).is_none(), "two are no batch");
    // A customer giving lotus@outlook.com twice: with b, two customers, no batch.
    let d2 = add(&mut conn, "Nova Partners", |c| {
        c.email = "lotus@outlook.com".into();
        c.billing_email = "lotus@outlook.com".into();
    });
    assert!(
        signup(&score_of(&conn, d2)).is_none(),
        "one mailbox twice is one customer"
    );
    let c = add(&mut conn, "Maple Works", |c| {
        c.email = "maple@outlook.com".into();
        c.billing_email = "lotus+billing@outlook.com".into();
    });
    for id in [b, c, d2] {
        let r = score_of(&conn, id);
        let f = signup(&r).expect("b, c and d share lotus@outlook.com");
        assert!(
            f.evidence
                .contains("\"lotus@outlook.com\" shared by 3 customers"),
            "{}",
            f.evidence
        );
    }
    let r = score_of(&conn, a);
    assert!(signup(&r).is_none(), "{:?}", r.factors);

    // Months apart: the same mailbox, no batch.
    let (_d, mut conn) = db();
    let mut apart = Vec::new();
    for (i, day) in [d(2026, 5, 1), d(2026, 8, 1), d(2026, 11, 1)]
        .into_iter()
        .enumerate()
    {
        let input = CustomerInput {
            email: "same.person@gmail.com".into(),
            ..customer_input(&format!("Slow Customer {i}"), "TWD", "TW")
        };
        let tx = conn.transaction().unwrap();
        apart.push(customer::create(&tx, &ctx_on(day), &input).unwrap().id);
        tx.commit().unwrap();
    }
    for id in apart {
        assert!(signup(&score_of(&conn, id)).is_none());
    }
}

/// One contact person behind three sign-ups, in Chinese, in English given name first and in
/// capitals surname first: named as shared in the batch their e-mail domain makes. A name
/// alike in sound but other characters (王曉明) is another person; and one person alone,
/// an accountant who signs up three clients, makes no batch.
#[test]
fn one_contact_person_written_three_ways_is_named_but_alone_makes_no_batch() {
    let (_d, mut conn) = db();
    let contacts = ["王小明", "Hsiao-Ming Wang", "WANG, XIAO MING", "王曉明"];
    let mut ids = Vec::new();
    for (i, (name, contact)) in [
        "Apple Trading",
        "Bamboo Media",
        "Cedar Works",
        "Delta Foods",
    ]
    .iter()
    .zip(contacts)
    .enumerate()
    {
        ids.push(add(&mut conn, name, |c| {
            c.email = format!("ops{i}@cheap-cloud-deals.biz");
            c.contact_name = contact.into();
        }));
    }
    for (i, id) in ids.iter().enumerate() {
        let r = score_of(&conn, *id);
        let f = signup(&r).expect("the domain makes the batch");
        let named = "contact person \"王小明\" shared by 3 customers created within 7 days";
        assert_eq!(f.evidence.contains(named), i < 3, "{i}: {}", f.evidence);
        let named_zh = "聯絡人「王小明」由 7 天內建立的 3 位客戶共用";
        assert_eq!(f.evidence_zh.contains(named_zh), i < 3, "{}", f.evidence_zh);
    }

    let (_d, mut conn) = db();
    let mut clients = Vec::new();
    for (i, name) in ["Lotus Dental", "Granite Law", "Maple Books"]
        .iter()
        .enumerate()
    {
        clients.push(add(&mut conn, name, |c| {
            c.contact_name = ["陳建宏", "Chen Chien-Hung", "Chien-Hung Chen"][i].into();
            c.email = format!("office@{}.com.tw", name.replace(' ', "").to_lowercase());
        }));
    }
    for id in clients {
        let r = score_of(&conn, id);
        assert!(signup(&r).is_none(), "{:?}", r.factors);
    }
}

/// One person at one address behind three sign-ups with nothing else in common (each its
/// own tax id, phone, mailbox and name) is a batch, though a business centre's tenants (one
/// address, their own contacts, or a role such as Accounts Payable for a contact) and an
/// accountant's clients (one contact, their own addresses) are none.
#[test]
fn one_person_at_one_address_is_a_batch() {
    let (_d, mut conn) = db();
    let office = [
        "台北市信義區松仁路100號5樓",
        "5F, No. 100, Songren Rd., Xinyi Dist., Taipei City",
        "台北市信义区松仁路100号5楼",
    ];
    let centre = [
        "台北市中山區南京東路二段100號",
        "No. 100, Sec. 2, Nanking E. Rd., Taipei",
        "台北市中山区南京东路二段100号",
    ];
    let sets: [([&str; 3], [&str; 3]); 4] = [
        (office, ["林淑芬", "Shu-Fen Lin", "LIN, SHU FEN"]),
        (office, ["王小明", "陳建宏", "Lee Yi-Chun"]),
        (
            [
                "台北市大安區敦化南路一段2號",
                "高雄市苓雅區四維三路2號",
                "台中市西區民權路100號",
            ],
            ["張志豪", "Chang Chih-Hao", "Jhang Jhih-Hao"],
        ),
        // A role written for a name is nobody's: the tenants of one centre are no batch.
        (
            centre,
            ["Accounts Payable", "ACCOUNTS PAYABLE", "accounts payable"],
        ),
    ];
    let mut ids = Vec::new();
    let mut n = 0;
    for (addresses, contacts) in sets {
        for (address, contact) in addresses.iter().zip(contacts) {
            n += 1;
            ids.push(add(&mut conn, &format!("Firm {n}"), |c| {
                c.address = address.to_string();
                c.contact_name = contact.into();
                c.email = format!("owner{n}@gmail.com");
                c.phone = format!("+886 2 2345 67{n:02}");
                c.tax_id = String::new();
            }));
        }
    }
    for (i, id) in ids.iter().enumerate() {
        let r = score_of(&conn, *id);
        if i < 3 {
            let f = signup(&r).expect("one person at one address");
            assert!(
                f.evidence
                    .contains("contact person \"林淑芬\" shared by 3 customers"),
                "{}",
                f.evidence
            );
            assert!(f.evidence.contains("address"), "{}", f.evidence);
        } else {
            assert!(signup(&r).is_none(), "{i}: {:?}", r.factors);
        }
    }
}

/// A name given in both scripts is its Chinese name and its English one: with a sign-up
/// under the English brand and one under the Chinese, three look-alikes, named by the
/// Chinese brand. Honest firms of another brand are none.
#[test]
fn a_name_in_two_scripts_links_its_chinese_and_its_english_look_alikes() {
    let (_d, mut conn) = db();
    let mut batch = Vec::new();
    for (i, name) in [
        "雲雀數位股份有限公司 (Skylark Digital Co., Ltd.)",
        "Skylark Trading Ltd",
        "雲雀科技有限公司",
    ]
    .iter()
    .enumerate()
    {
        batch.push(add(&mut conn, name, |c| {
            c.email = format!("owner{i}@gmail.com");
            c.phone = format!("+886 2 2345 67{i:02}");
        }));
    }
    let other = add(&mut conn, "Starling Trading Ltd", |c| {
        c.email = "owner9@gmail.com".into();
    });
    for id in &batch {
        let r = score_of(&conn, *id);
        let f = signup(&r).expect("one brand in two scripts");
        assert!(
            f.evidence
                .contains("similar name \"雲雀\" shared by 3 customers"),
            "{}",
            f.evidence
        );
    }
    assert!(signup(&score_of(&conn, other)).is_none());
}

/// Free-mail mailboxes that differ only in the number they end with, made one after
/// another, are one person's: a batch naming each. A short name before the number
/// (`tom1@`, `tom2@`) may be two people, and one customer giving two such mailboxes is one
/// customer.
#[test]
fn numbered_free_mail_mailboxes_are_a_batch() {
    let (_d, mut conn) = db();
    let mut batch = Vec::new();
    for (i, (name, mail)) in [
        ("Orchid Media", "apexcloud01@gmail.com"),
        ("Pine Works", "ApexCloud02@Gmail.com"),
        ("River Foods", "apex.cloud.03@gmail.com"),
    ]
    .iter()
    .enumerate()
    {
        batch.push(add(&mut conn, name, |c| {
            c.email = (*mail).into();
            c.phone = format!("+886 2 2345 67{i:02}");
        }));
    }
    let mut others = Vec::new();
    for (i, (name, mail, billing)) in [
        ("Tea House", "tom1@gmail.com", ""),
        ("Bike Shop", "tom2@gmail.com", ""),
        ("Noodle Bar", "tom3@gmail.com", ""),
        (
            "Lotus Dental",
            "lotusdental1@yahoo.com.tw",
            "lotusdental2@yahoo.com.tw",
        ),
        ("Maple Books", "lotusdental3@yahoo.com.tw", ""),
    ]
    .iter()
    .enumerate()
    {
        others.push(add(&mut conn, name, |c| {
            c.email = (*mail).into();
            c.billing_email = (*billing).into();
            c.phone = format!("+886 2 2345 68{i:02}");
        }));
    }
    for id in &batch {
        let r = score_of(&conn, *id);
        let f = signup(&r).expect("numbered mailboxes");
        assert_eq!(
            f.evidence,
            "numbered e-mail addresses \"apexcloud01@gmail.com / apexcloud02@gmail.com / \
             apexcloud03@gmail.com\" shared by 3 customers created within 7 days"
        );
        assert!(f.evidence_zh.starts_with("僅編號不同的電子郵件地址"));
    }
    for id in others {
        let r = score_of(&conn, id);
        assert!(signup(&r).is_none(), "{:?}", r.factors);
    }
}

/// Three sign-ups at one domain in Chinese, written in its script, in upper-case Punycode and
/// with an ideographic full stop: one batch, its domain named as it is read (`範例.台灣`).
#[test]
fn a_domain_in_chinese_written_three_ways_is_one_batch_named_in_chinese() {
    let (_d, mut conn) = db();
    let mut batch = Vec::new();
    for (i, mail) in [
        "a1@範例.台灣",
        "A2@XN--FSQY19H.XN--KPRY57D",
        "a3@範例。台灣",
    ]
    .iter()
    .enumerate()
    {
        batch.push(add(&mut conn, &format!("Sample Trading {i}"), |c| {
            c.email = (*mail).into();
            c.phone = format!("+886 2 2345 67{i:02}");
        }));
    }
    for id in batch {
        let r = score_of(&conn, id);
        let f = signup(&r).expect("flagged");
        assert!(f.evidence.contains("\"範例.台灣\""), "{}", f.evidence);
        assert!(f.evidence_zh.contains("「範例.台灣」"), "{}", f.evidence_zh);
    }
}

/// One customer's score (the customer's page) reads only that customer's books, and of the
/// others only what look-alikes compare: it is the score every customer's scoring gives, on
/// a book with every kind of record (the demonstration book) and a look-alike batch.
#[test]
fn one_customers_score_is_the_one_scoring_everyone_gives() {
    let (_d, mut conn) = db();
    let tx = conn.transaction().unwrap();
    riskdesk_core::demo::load(&tx, &ctx(), ctx().today).unwrap();
    tx.commit().unwrap();
    let batch: Vec<_> = ["+886 2 2711 0101", "02-2711-0101", "(02) 27110101"]
        .iter()
        .enumerate()
        .map(|(i, phone)| {
            add(&mut conn, &format!("Batch Trading {i}"), |c| {
                c.phone = (*phone).into();
            })
        })
        .collect();
    // A prepayment asked for and received: one customer's requests come back received or
    // not, everyone's only those outstanding.
    let tx = conn.transaction().unwrap();
    let twd = riskdesk_core::money::Currency::parse("TWD").unwrap();
    let due = d(2026, 1, 5);
    let asked = riskdesk_core::receivables::request_prepayment(
        &tx,
        &ctx(),
        batch[0],
        riskdesk_core::money::Money::new(500_000, twd),
        due,
        "",
    )
    .unwrap();
    riskdesk_core::receivables::mark_prepayment_received(&tx, &ctx(), asked.id, due).unwrap();
    tx.commit().unwrap();
    let all = risk::scores(&conn, ctx().today, ctx().now, None).unwrap();
    assert!(all.len() > 10, "{}", all.len());
    let keys: Vec<&str> = all
        .iter()
        .flat_map(|s| s.factors.iter().map(|f| f.key))
        .collect();
    // Each kind of record a factor reads is in the book.
    for key in [
        "automated_signup",
        "overdue",
        "over_credit_limit",
        "payment_returned",
        "broken_promise",
        "misuse_alert",
        "notice_overdue",
        "budget_overrun",
        "prepayment_missing",
        "cancellation_window",
        "before_first_payment",
        "full_admin_checks_missing",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    for s in &all {
        let one = risk::scores(&conn, ctx().today, ctx().now, Some(s.customer_id)).unwrap();
        assert_eq!(one, vec![s.clone()], "{}", s.name);
    }
}

/// Identity keys are kept from one scoring to the next by the text they come from: a record
/// edited between two scorings is compared as it now reads, in both directions.
#[test]
fn an_edited_phone_is_compared_as_it_now_reads() {
    let (_d, mut conn) = db();
    let ids: Vec<_> = ["Oak Trading", "Pine Media", "Elm Works"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            add(&mut conn, name, |c| {
                c.phone = format!("+886 2 2711 01{i:02}");
            })
        })
        .collect();
    let flagged = |conn: &Connection| -> Vec<bool> {
        let all = risk::scores(conn, ctx().today, ctx().now, None).unwrap();
        ids.iter()
            .map(|id| {
                let one = score_of(conn, *id);
                let whole = all.iter().find(|s| s.customer_id == *id).unwrap();
                assert_eq!(&one, whole);
                one.factors.iter().any(|f| f.key == "automated_signup")
            })
            .collect()
    };
    let phone = |conn: &mut Connection, id, phone: &str| {
        let tx = conn.transaction().unwrap();
        let mut fields = customer::get(&tx, id).unwrap().fields;
        fields.phone = phone.into();
        customer::update(&tx, &ctx(), id, &fields).unwrap();
        tx.commit().unwrap();
    };
    assert_eq!(flagged(&conn), [false; 3]);
    // The first one's number, written two other ways.
    phone(&mut conn, ids[1], "02-2711-0100");
    phone(&mut conn, ids[2], "(02) 27110100");
    assert_eq!(flagged(&conn), [true; 3]);
    phone(&mut conn, ids[2], "(02) 27110102");
    assert_eq!(flagged(&conn), [false; 3]);
}
