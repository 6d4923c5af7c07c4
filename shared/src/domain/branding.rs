//! An account's branding, shown by its console (and so inside a product
//! that embeds it): a display name, an accent colour and a logo.
//!
//! The logo is kept as a `data:` URL and the console shows it only as an
//! `<img>`: an image, SVG included, runs no script there and loads nothing,
//! and the console's Content-Security-Policy (`script-src 'self'`) would
//! refuse an inline script anyway. hookrelay never serves it as a document.

use crate::domain::webhook::Name;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    #[serde(default)]
    pub display_name: Option<Name>,
    #[serde(default)]
    pub accent_color: Option<AccentColor>,
    #[serde(default)]
    pub logo: Option<Logo>,
}

/// A change of branding: each field left out (`None`) is kept, `Some(None)` clears it.
#[derive(Debug, Default)]
pub struct BrandingChanges {
    pub display_name: Option<Option<Name>>,
    pub accent_color: Option<Option<AccentColor>>,
    pub logo: Option<Option<Logo>>,
}

impl Branding {
    /// This branding with `changes` made.
    pub fn changed(&self, changes: BrandingChanges) -> Self {
        Self {
            display_name: changes
                .display_name
                .unwrap_or_else(|| self.display_name.clone()),
            accent_color: changes
                .accent_color
                .unwrap_or_else(|| self.accent_color.clone()),
            logo: changes.logo.unwrap_or_else(|| self.logo.clone()),
        }
    }
}

/// `#rrggbb`, kept lowercase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccentColor(String);

impl AccentColor {
    pub const PATTERN: &'static str = "^#[0-9A-Fa-f]{6}$";

    pub fn parse(text: &str) -> Result<Self, String> {
        let hex = text.strip_prefix('#').unwrap_or_default();
        match hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            true => Ok(Self(text.to_ascii_lowercase())),
            false => Err("must be a colour as #rrggbb, e.g. #0a7cff".into()),
        }
    }
}

text_type!(AccentColor, shown as is);

/// Whether bytes are an image of one kind.
type Sniff = fn(&[u8]) -> bool;

/// The image kinds a logo may be: the media type its `data:` URL names,
/// the kind's name, and how its bytes begin.
const KINDS: [(&str, &str, Sniff); 3] = [
    ("image/png", "PNG", |b| b.starts_with(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", "JPEG", |b| b.starts_with(&[0xFF, 0xD8, 0xFF])),
    ("image/svg+xml", "SVG", is_svg),
];

/// A PNG, JPEG or SVG image of at most `MAX_BYTES`, as
/// `data:image/png;base64,...`; its bytes must be what its type says.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Logo(String);

impl Logo {
    pub const MAX_BYTES: usize = 64 * 1024;
    /// The longest `data:` URL that can hold `MAX_BYTES`.
    pub const MAX_LEN: usize = "data:image/svg+xml;base64,".len() + Self::MAX_BYTES.div_ceil(3) * 4;
    /// The shape `parse` takes (the bytes are checked beyond it).
    pub const PATTERN: &'static str =
        "^data:image/(png|jpeg|svg\\+xml);base64,[A-Za-z0-9+/]*={0,2}$";

    pub fn parse(text: &str) -> Result<Self, String> {
        let (kind, data) = text
            .strip_prefix("data:")
            .and_then(|rest| rest.split_once(";base64,"))
            .ok_or(
                "must be a data: URL, data:image/png;base64,... (or image/jpeg, image/svg+xml)",
            )?;
        let (_, name, looks_right) = KINDS
            .iter()
            .find(|(media, _, _)| *media == kind)
            .ok_or("must be an image/png, image/jpeg or image/svg+xml data: URL")?;
        if text.len() > Self::MAX_LEN {
            return Err(format!("must be at most {} KiB", Self::MAX_BYTES / 1024));
        }
        let bytes = STANDARD
            .decode(data)
            .map_err(|_| "is not valid base64 after ;base64,")?;
        if bytes.len() > Self::MAX_BYTES {
            return Err(format!(
                "must be at most {} KiB (this one is {} bytes)",
                Self::MAX_BYTES / 1024,
                bytes.len()
            ));
        }
        if !looks_right(&bytes) {
            return Err(format!(
                "does not hold {name} data (its bytes are not an image of that type)"
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// What the audit log shows of it: its type, size and digest, not the image.
    pub fn summary(&self) -> String {
        let (kind, data) = self
            .0
            .strip_prefix("data:")
            .and_then(|rest| rest.split_once(";base64,"))
            .unwrap_or_default();
        let bytes = STANDARD.decode(data).unwrap_or_default();
        let digest = hex::encode(Sha256::digest(&bytes));
        format!("{kind}, {} bytes, sha256 {}", bytes.len(), &digest[..16])
    }
}

/// An SVG document: UTF-8 whose first element is `<svg` (after any XML
/// declaration, comments or doctype).
fn is_svg(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    while let Some(after) = rest.strip_prefix("<?").or_else(|| rest.strip_prefix("<!")) {
        let end = if after.starts_with("--") { "-->" } else { ">" };
        let Some((_, next)) = after.split_once(end) else {
            return false;
        };
        rest = next.trim_start();
    }
    rest.starts_with("<svg")
}

impl fmt::Debug for Logo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Logo({})", self.summary())
    }
}

text_type!(Logo, shown as is);

#[cfg(test)]
mod tests {
    use super::*;

    fn data_url(kind: &str, bytes: &[u8]) -> String {
        format!("data:{kind};base64,{}", STANDARD.encode(bytes))
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn a_logo_is_a_png_jpeg_or_svg_data_url_that_is_what_it_says() {
        let svg = br#"<?xml version="1.0"?><!-- logo --><svg xmlns="http://www.w3.org/2000/svg"/>"#;
        for (kind, bytes) in [
            ("image/png", PNG),
            ("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0][..]),
            ("image/svg+xml", &svg[..]),
        ] {
            let logo = Logo::parse(&data_url(kind, bytes)).unwrap();
            assert!(logo
                .summary()
                .starts_with(&format!("{kind}, {} bytes", bytes.len())));
        }
        for (bad, why) in [
            (data_url("image/gif", b"GIF89a"), "image/png, image/jpeg"),
            (data_url("image/png", b"<svg/>"), "does not hold PNG data"),
            (
                data_url("image/svg+xml", b"<html><svg/></html>"),
                "does not hold SVG data",
            ),
            (
                data_url("image/svg+xml", b"\xff\xfe<svg"),
                "does not hold SVG data",
            ),
            ("https://example.com/logo.png".into(), "must be a data: URL"),
            ("data:image/png;base64,@@@".into(), "not valid base64"),
            ("data:image/png;base64,".into(), "does not hold PNG data"),
        ] {
            let refused = Logo::parse(&bad).unwrap_err();
            assert!(refused.contains(why), "{bad}: {refused}");
        }
    }

    #[test]
    fn a_logo_is_at_most_64_kib() {
        let mut big = PNG.to_vec();
        big.resize(Logo::MAX_BYTES, 0);
        let at_most = data_url("image/png", &big);
        assert!(Logo::parse(&at_most).is_ok());
        assert!(at_most.len() <= Logo::MAX_LEN);
        big.push(0);
        let refused = Logo::parse(&data_url("image/png", &big)).unwrap_err();
        assert!(refused.contains("at most 64 KiB"), "{refused}");
    }

    #[test]
    fn an_accent_colour_is_six_hex_digits_kept_lowercase() {
        assert_eq!(
            AccentColor::parse("#0A7CFF").unwrap().to_string(),
            "#0a7cff"
        );
        for bad in ["0a7cff", "#0a7cf", "#0a7cffa", "#0a7cfg", "red", "#fff"] {
            assert!(AccentColor::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_change_keeps_what_it_leaves_out_and_clears_nulls() {
        let name = |n| Some(Name::parse(n).unwrap());
        let before = Branding {
            display_name: name("Acme"),
            accent_color: Some(AccentColor::parse("#112233").unwrap()),
            logo: None,
        };
        let after = before.changed(BrandingChanges {
            display_name: Some(name("Acme Inc")),
            accent_color: Some(None),
            logo: None,
        });
        assert_eq!(after.display_name, name("Acme Inc"));
        assert_eq!(after.accent_color, None);
    }
}
