//! A read that answers late does not draw over a later one: the window's views draw only the
//! newest of their reads. The test slows one answer in the window itself (wrapping a method
//! of its `api`, as a busy database would), so the order the answers come in is known.

use serde_json::json;

use super::common::{assert_ok, cli_os as cli, Driver, Session};
use super::{contoso_owing, open_customers, Book};

/// Holds back the answers of `method` of the window's `api` (ui/js/api.js) when its
/// arguments `matches` (a JavaScript function of them) for `ms` milliseconds;
/// `window.slowAnswered` counts those given at last. The module is the window's own: an
/// import of the same address answers the instance the views use.
fn slow_answers(s: &Session, method: &str, matches: &str, ms: u64) {
    s.script(
        &format!(
            "window.slowAnswered = 0;
             window.slowReady = null;
             import(new URL('js/api.js', document.baseURI).href).then((m) => {{
               const asked = m.api[arguments[0]];
               m.api[arguments[0]] = (...args) => {{
                 const answer = asked(...args);
                 if (!(({matches})(...args))) return answer;
                 return answer.finally(() => new Promise((done) => setTimeout(done, arguments[1])))
                   .finally(() => {{ window.slowAnswered += 1; }});
               }};
               window.slowReady = true;
             }}, (e) => {{ window.slowReady = String(e); }});"
        ),
        json!([method, ms]),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let ready = s.script("return window.slowReady;", json!([]));
        if ready == json!(true) {
            return;
        }
        assert!(
            ready.is_null() && std::time::Instant::now() < deadline,
            "the window's api could not be wrapped: {ready}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Once the answer held back by [`slow_answers`] has been given and the page has had the time
/// to draw it: the text of `css` shows what was asked last and not what was asked first.
fn assert_shows_newest(s: &Session, css: &str, asked_last: &str, asked_first: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while s.script("return window.slowAnswered;", json!([])) != json!(1) {
        assert!(
            std::time::Instant::now() < deadline,
            "the held answer never came"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let text = s.find(css).text();
    assert!(
        text.contains(asked_last) && !text.contains(asked_first),
        "{css} shows what was asked last ({asked_last:?}), not what was asked first ({asked_first:?}): {text}"
    );
}

#[test]
fn a_search_typed_on_is_not_overwritten_by_the_answer_to_the_one_before() {
    let (book, db) = Book::empty("reads.db");
    let customers = book.dir.path().join("customers.csv");
    std::fs::write(
        &customers,
        "legal_name,country,currency,tenant_id\n\
         Alpha Trading,TW,TWD,1a2b3c4d-0000-4000-8000-000000000001\n\
         Beta Cloud,TW,TWD,1a2b3c4d-0000-4000-8000-000000000002\n",
    )
    .unwrap();
    assert_ok(&cli(
        &db,
        &["customers", "import", customers.to_str().unwrap()],
    ));
    let driver = Driver::start();
    let s = driver.launch(&db);
    open_customers(&s);
    s.wait_text("#customer-count", |t| t.contains("of 2"));

    // The search for "Alpha" answers a second and a half late; "Beta", typed after it had
    // been asked, answers at once.
    slow_answers(&s, "listCustomers", "(q) => q.search === 'Alpha'", 1500);
    s.find("#customer-search").type_text("Alpha");
    std::thread::sleep(std::time::Duration::from_millis(600));
    s.find("#customer-search").clear().type_text("Beta");
    s.wait_text("#customer-rows", |t| t.contains("Beta Cloud"));
    assert_shows_newest(&s, "#customer-rows", "Beta Cloud", "Alpha Trading");
    s.quit();
}

#[test]
fn the_aging_shows_the_day_asked_last_when_an_earlier_day_answers_late() {
    let (_book, db) = Book::new("aging-reads.db");
    contoso_owing(&db);
    let driver = Driver::start();
    let s = driver.launch(&db);
    s.open_view("receivables");
    s.wait_text("#aging-totals", |t| t.contains("NT$70,000"));

    // The aging on 15 August (only August's NT$40,000 issued) answers late; the one on
    // 1 December, asked after it, at once.
    slow_answers(&s, "aging", "(day) => day === '2026-08-15'", 1500);
    let ask = |day: &str| {
        s.script(
            "const d = document.getElementById('aging-as-of'); d.value = arguments[0];",
            json!([day]),
        );
        s.find("#aging-refresh").click();
    };
    ask("2026-08-15");
    std::thread::sleep(std::time::Duration::from_millis(300));
    ask("2026-12-01");
    assert_shows_newest(
        &s,
        "#aging-totals",
        "Receivable: NT$70,000",
        "Receivable: NT$40,000",
    );
    s.quit();
}
