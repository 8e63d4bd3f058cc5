//! Subscription terms in the risk model: what the rest of a committed term will cost
//! (exposure), and Microsoft's cancellation window. A new-commerce subscription can be
//! cancelled for a prorated refund only within a few days of its purchase or renewal
//! (Microsoft documents 7; the setting `risk.cancel_window_days`); seats added later have
//! a window of their own. After the window the reseller owes Microsoft the whole term, so
//! a purchase for a customer who has not paid is a loss waiting to happen.
//!
//! Only the date of a purchase is recorded, so a window is taken to open at local midnight
//! of that day in the owner's time zone (the setting `risk.utc_offset`, the computer's by
//! default): the purchase cannot have been made earlier, so the window never closes later
//! than Microsoft's. In Taiwan (UTC+8) that is 16:00 UTC the day before.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use crate::subscription::{SeatAddition, Subscription};
use crate::text_enum::text_enum;

text_enum!(
    /// What opened a cancellation window.
    WindowKind {
        Purchase = "purchase",
        Renewal = "renewal",
        Seats = "seats",
    }
);

impl WindowKind {
    /// How a factor's evidence says it, in English and in Chinese.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            WindowKind::Purchase => ("purchase", "購買"),
            WindowKind::Renewal => ("renewal", "續約"),
            WindowKind::Seats => ("seats added", "新增授權"),
        }
    }
}

/// A cancellation window still open.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Window {
    pub subscription_id: i64,
    pub offer: String,
    pub kind: WindowKind,
    pub opened_on: NaiveDate,
    pub quantity: i64,
    pub closes_at: DateTime<Utc>,
    /// The offset from UTC the window's midnight is read at, in seconds (+08:00 is 28,800).
    pub utc_offset_seconds: i32,
    /// Whole hours left (rounded down).
    pub hours_left: i64,
    /// What the reseller would owe Microsoft for the term if it is not cancelled.
    pub term_value_minor: i64,
}

impl Window {
    /// When it closes, on the clock it was opened by: "1 December 2026, 00:00 (UTC+08:00)".
    pub fn closes_text(&self, lang: crate::customer::Language) -> String {
        let offset = FixedOffset::east_opt(self.utc_offset_seconds)
            .unwrap_or(FixedOffset::east_opt(0).expect("zero is an offset"));
        crate::dates::moment_text_at(lang, self.closes_at, offset)
    }
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let m = (to.year() as i64 * 12 + to.month0() as i64)
        - (from.year() as i64 * 12 + from.month0() as i64)
        - i64::from(to.day() < from.day());
    m.max(0)
}

/// The part of the current term not billed yet (an unpaid term continues to auto-renew):
/// months of billing periods not started by `as_of`, times seats, times the monthly price.
pub fn committed_rest(s: &Subscription, as_of: NaiveDate) -> i64 {
    let term = s.term.months() as i64;
    if term == 1 {
        return 0;
    }
    let period = s.billing.period_months(term as u32) as i64;
    let started = if as_of < s.term_start_on {
        0
    } else {
        let elapsed = months_between(s.term_start_on, as_of) % term;
        elapsed / period + 1
    };
    let months = (term / period - started).max(0) * period;
    months
        .saturating_mul(s.quantity)
        .saturating_mul(s.monthly_price.minor)
}

/// The windows of `subs` (and their seat additions) still open at `now`, each opening at
/// midnight of its day at `offset` from UTC.
pub fn open_windows(
    subs: &[Subscription],
    seats: &[SeatAddition],
    now: DateTime<Utc>,
    days: i64,
    offset: FixedOffset,
) -> Vec<Window> {
    let mut out = Vec::new();
    let mut push = |s: &Subscription, kind: WindowKind, on: NaiveDate, quantity: i64| {
        let opens = on
            .and_hms_opt(0, 0, 0)
            .and_then(|t| offset.from_local_datetime(&t).single())
            .map(|t| t.with_timezone(&Utc));
        let Some(opens) = opens else { return };
        let closes = opens + Duration::days(days);
        if opens <= now && now < closes {
            out.push(Window {
                subscription_id: s.id,
                offer: s.offer.clone(),
                kind,
                opened_on: on,
                quantity,
                closes_at: closes,
                utc_offset_seconds: offset.local_minus_utc(),
                hours_left: (closes - now).num_hours(),
                term_value_minor: (s.term.months() as i64)
                    .saturating_mul(quantity)
                    .saturating_mul(s.monthly_price.minor),
            });
        }
    };
    for s in subs {
        let kind = if s.term_start_on == s.start_on {
            WindowKind::Purchase
        } else {
            WindowKind::Renewal
        };
        let added: i64 = seats
            .iter()
            .filter(|a| a.subscription_id == s.id && a.added_on >= s.term_start_on)
            .map(|a| a.quantity)
            .sum();
        push(s, kind, s.term_start_on, (s.quantity - added).max(1));
        // Seats added before a renewal are renewed with the rest.
        for a in seats
            .iter()
            .filter(|a| a.subscription_id == s.id && a.added_on >= s.term_start_on)
        {
            push(s, WindowKind::Seats, a.added_on, a.quantity);
        }
    }
    out.sort_by_key(|w| (w.closes_at, w.subscription_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CustomerId;
    use crate::money::{Currency, Money};
    use crate::subscription::{Billing, SubscriptionStatus, Term};
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn sub(term: Term, billing: Billing, start: NaiveDate) -> Subscription {
        Subscription {
            id: 1,
            customer_id: CustomerId(1),
            offer: "Microsoft 365 E3".into(),
            pc_subscription_id: String::new(),
            quantity: 10,
            monthly_price: Money::new(1_000, Currency::parse("TWD").unwrap()),
            start_on: start,
            status: SubscriptionStatus::Active,
            created_at: String::new(),
            updated_at: String::new(),
            term,
            billing,
            term_start_on: start,
        }
    }

    #[test]
    fn committed_rest_counts_the_periods_not_yet_billed() {
        let start = d(2026, 1, 15);
        let annual = sub(Term::Annual, Billing::Monthly, start);
        // Before the term: all 12 months; in its first month 11 are left; in the last, none.
        assert_eq!(committed_rest(&annual, d(2026, 1, 1)), 12 * 10 * 1_000);
        assert_eq!(committed_rest(&annual, d(2026, 1, 15)), 11 * 10 * 1_000);
        assert_eq!(committed_rest(&annual, d(2026, 2, 14)), 11 * 10 * 1_000);
        assert_eq!(committed_rest(&annual, d(2026, 2, 15)), 10 * 10 * 1_000);
        assert_eq!(committed_rest(&annual, d(2027, 1, 14)), 0);
        // Auto-renewed: a new term of 11 months to come.
        assert_eq!(committed_rest(&annual, d(2027, 1, 15)), 11 * 10 * 1_000);
        // Billed up front: nothing left once the term has started.
        let upfront = sub(Term::Annual, Billing::Upfront, start);
        assert_eq!(committed_rest(&upfront, d(2026, 6, 1)), 0);
        assert_eq!(committed_rest(&upfront, d(2026, 1, 14)), 12 * 10 * 1_000);
        // Three years billed yearly: in the first year two years are to come.
        let tri = sub(Term::Triennial, Billing::Annual, start);
        assert_eq!(committed_rest(&tri, d(2026, 12, 31)), 24 * 10 * 1_000);
        assert_eq!(committed_rest(&tri, d(2027, 1, 15)), 12 * 10 * 1_000);
        // A monthly term commits nothing beyond the month.
        let monthly = sub(Term::Monthly, Billing::Monthly, start);
        assert_eq!(committed_rest(&monthly, d(2026, 3, 1)), 0);
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn the_window_opens_at_local_midnight_at_utc_plus_8_utc_and_utc_minus_5() {
        let s = sub(Term::Annual, Billing::Monthly, d(2026, 11, 20));
        let one = std::slice::from_ref(&s);
        let utc_at =
            |day: u32, h: u32, m: u32| Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap();
        // The closing moment is said on the clock the window was opened by.
        for (hours, opens, closes, en, zh) in [
            // Taipei: midnight of the 20th is 16:00 UTC on the 19th.
            (
                8,
                utc_at(19, 16, 0),
                utc_at(26, 16, 0),
                "27 November 2026, 00:00 (UTC+08:00)",
                "2026年11月27日 00:00（UTC+08:00）",
            ),
            (
                0,
                utc_at(20, 0, 0),
                utc_at(27, 0, 0),
                "27 November 2026, 00:00 UTC",
                "2026年11月27日 00:00 UTC",
            ),
            // New York in winter: midnight of the 20th is 05:00 UTC on the 20th.
            (
                -5,
                utc_at(20, 5, 0),
                utc_at(27, 5, 0),
                "27 November 2026, 00:00 (UTC-05:00)",
                "2026年11月27日 00:00（UTC-05:00）",
            ),
        ] {
            let offset = FixedOffset::east_opt(hours * 3600).unwrap();
            let before = opens - Duration::minutes(1);
            assert!(
                open_windows(one, &[], before, 7, offset).is_empty(),
                "UTC{hours:+}"
            );
            let w = open_windows(one, &[], opens, 7, offset);
            assert_eq!(w.len(), 1, "UTC{hours:+}");
            assert_eq!(w[0].closes_at, closes, "UTC{hours:+}");
            assert_eq!(w[0].closes_text(crate::customer::Language::En), en);
            assert_eq!(w[0].closes_text(crate::customer::Language::ZhTw), zh);
            assert_eq!(w[0].hours_left, 168);
            let last = closes - Duration::minutes(1);
            assert_eq!(open_windows(one, &[], last, 7, offset)[0].hours_left, 0);
            assert!(
                open_windows(one, &[], closes, 7, offset).is_empty(),
                "UTC{hours:+}"
            );
        }
    }

    #[test]
    fn the_window_is_open_for_exactly_the_set_days() {
        let s = sub(Term::Annual, Billing::Monthly, d(2026, 11, 20));
        let at = |day: u32, h: u32, m: u32| Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap();
        // Opens at 00:00 on the purchase day (here in UTC).
        assert!(open_windows(std::slice::from_ref(&s), &[], at(19, 23, 59), 7, utc()).is_empty());
        let w = open_windows(std::slice::from_ref(&s), &[], at(20, 0, 0), 7, utc());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].hours_left, 168);
        assert_eq!(w[0].kind.as_str(), "purchase");
        assert_eq!(w[0].term_value_minor, 12 * 10 * 1_000);
        // One minute before it closes: still open, no whole hour left.
        let w = open_windows(std::slice::from_ref(&s), &[], at(26, 23, 59), 7, utc());
        assert_eq!(w[0].hours_left, 0);
        assert_eq!(w[0].closes_at, at(27, 0, 0));
        // At the closing instant it is gone.
        assert!(open_windows(std::slice::from_ref(&s), &[], at(27, 0, 0), 7, utc()).is_empty());
        // A shorter setting closes it sooner.
        assert!(open_windows(std::slice::from_ref(&s), &[], at(23, 0, 0), 3, utc()).is_empty());
    }

    proptest::proptest! {
        /// Whatever the dates: the rest of a term is whole billing periods of the price, never
        /// more than the term; a window is open for exactly the set days from its day's start.
        #[test]
        fn terms_and_windows_stay_within_their_bounds(
            start in 0i64..4000,
            later in 0i64..2000,
            term in 0usize..3,
            billing in 0usize..3,
            seats in 1i64..500,
            days in 1i64..30,
            minutes in 0i64..(60 * 24 * 40),
        ) {
            let start_on = d(2015, 1, 1) + chrono::Duration::days(start);
            let term = [Term::Monthly, Term::Annual, Term::Triennial][term];
            let billing = if term == Term::Monthly {
                Billing::Monthly
            } else {
                [Billing::Monthly, Billing::Annual, Billing::Upfront][billing]
            };
            let mut s = sub(term, billing, start_on);
            s.quantity = seats;
            let rest = committed_rest(&s, start_on + chrono::Duration::days(later));
            let month = seats * 1_000;
            let period = billing.period_months(term.months()) as i64;
            proptest::prop_assert!(rest >= 0);
            proptest::prop_assert!(rest <= term.months() as i64 * month);
            proptest::prop_assert_eq!(rest % (period * month), 0);
            let opened = start_on.and_hms_opt(0, 0, 0).unwrap().and_utc();
            let now = opened + chrono::Duration::minutes(minutes);
            let open = open_windows(std::slice::from_ref(&s), &[], now, days, utc());
            let inside = now < opened + chrono::Duration::days(days);
            proptest::prop_assert_eq!(open.len(), usize::from(inside));
            if let Some(w) = open.first() {
                proptest::prop_assert_eq!(w.closes_at - opened, chrono::Duration::days(days));
                proptest::prop_assert!(w.hours_left >= 0 && w.hours_left <= days * 24);
            }
        }
    }

    #[test]
    fn seats_added_later_get_a_window_of_their_own() {
        let mut s = sub(Term::Annual, Billing::Monthly, d(2026, 9, 1));
        s.quantity = 15;
        let seats = [SeatAddition {
            id: 1,
            subscription_id: 1,
            added_on: d(2026, 11, 24),
            quantity: 5,
        }];
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        let w = open_windows(std::slice::from_ref(&s), &seats, now, 7, utc());
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].kind.as_str(), w[0].quantity), ("seats", 5));
        assert_eq!(w[0].hours_left, 6 * 24 - 12);
        // A renewal opens a window for the seats of the term (not the ones added before).
        s.term_start_on = d(2026, 11, 25);
        let w = open_windows(&[s], &seats, now, 7, utc());
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].kind.as_str(), w[0].quantity), ("renewal", 15));
    }
}
