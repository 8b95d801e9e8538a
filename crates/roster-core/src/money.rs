//! Money: exact amounts (never floating point, so sums of many seats stay exact) and currencies.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A non-negative amount below one billion with at most 6 decimal places: at most 15 significant
/// digits, so that the JSON number (an f64) written for it reads back as exactly this amount.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Amount(Decimal);

impl Amount {
    pub const ZERO: Amount = Amount(Decimal::ZERO);
    const MAX_SCALE: u32 = 6;

    /// Parses a JSON number as written (`12`, `9.99`, `1e3`).
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        const RULE: &str = "must be a non-negative number below 1e9 with at most 6 decimals";
        let value = Decimal::from_str(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map_err(|_| RULE)?
            .normalize();
        let limit = Decimal::from(1_000_000_000_i64);
        if value.is_sign_negative() && !value.is_zero() || value >= limit {
            return Err(RULE);
        }
        if value.scale() > Self::MAX_SCALE {
            return Err(RULE);
        }
        Ok(Self(value.abs()))
    }

    /// This amount times a count of seats.
    pub fn times(self, count: u64) -> Amount {
        Amount(self.0 * Decimal::from(count))
    }

    /// For JSON, which has only floating-point numbers. Exact for every amount [`Amount::parse`]
    /// takes (15 significant digits); a sum of many may exceed that and round in the last digits.
    pub fn to_f64(self) -> f64 {
        self.0.to_f64().unwrap_or(f64::MAX)
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, other: Amount) -> Amount {
        Amount(self.0 + other.0)
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, |sum, amount| sum + amount)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.normalize().fmt(f)
    }
}

/// Amounts are written as JSON numbers (the audit log, the wire).
impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.to_f64())
    }
}

/// An active ISO 4217 currency code (`USD`, `EUR`, …), kept upper case.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize)]
#[serde(transparent)]
pub struct Currency(String);

impl Currency {
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let code = text.trim().to_ascii_uppercase();
        match iso_currency::Currency::from_code(&code) {
            Some(_) => Ok(Self(code)),
            None => Err("must be an ISO 4217 currency code, like USD or EUR"),
        }
    }

    pub fn usd() -> Self {
        Self("USD".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        let cent = Amount::parse("0.01").expect("amount");
        let total: Amount = std::iter::repeat_n(cent, 100).sum();
        assert_eq!(total, Amount::parse("1").expect("amount"));
        assert_eq!(
            Amount::parse("9.99").expect("amount").times(3).to_string(),
            "29.97"
        );
    }

    #[test]
    fn amounts_refuse_negatives_huge_values_and_fractions_of_a_micro_unit() {
        for bad in ["-1", "1e9", "0.0000001", "abc", ""] {
            assert!(Amount::parse(bad).is_err(), "{bad}");
        }
        assert!(Amount::parse("1e3").is_ok());
        assert!(Amount::parse("-0").is_ok());
    }

    #[test]
    fn currencies_are_three_letters_upper_cased() {
        assert_eq!(Currency::parse("eur").expect("code").as_str(), "EUR");
        assert!(Currency::parse("EURO").is_err());
        assert!(Currency::parse("U$D").is_err());
        assert!(Currency::parse("XYZ").is_err(), "not a currency");
    }
}
