//! A webhook's on/off state: on, or off with why and since when.

use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Why a webhook is off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisabledReason {
    /// A caller switched it off.
    Manual,
    /// hookrelay switched it off: its deliveries kept failing.
    Failing,
}

impl DisabledReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Failing => "failing",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disabled {
    pub disabled_reason: DisabledReason,
    pub disabled_at: Timestamp,
}

/// Whether a webhook sends: on, or off for a reason since a time. Stored as
/// before, `enabled` beside the `disabled_*` fields, which only an off one has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SwitchParts", into = "SwitchParts")]
pub enum Switch {
    On,
    Off(Disabled),
}

/// How a `Switch` is stored.
#[derive(Serialize, Deserialize)]
struct SwitchParts {
    enabled: bool,
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    disabled: Option<Disabled>,
}

impl TryFrom<SwitchParts> for Switch {
    type Error = String;
    fn try_from(parts: SwitchParts) -> Result<Self, String> {
        match parts {
            SwitchParts { enabled: true, .. } => Ok(Self::On),
            SwitchParts {
                disabled: Some(disabled),
                ..
            } => Ok(Self::Off(disabled)),
            SwitchParts { disabled: None, .. } => {
                Err("a disabled webhook without disabled_reason and disabled_at".into())
            }
        }
    }
}

impl From<Switch> for SwitchParts {
    fn from(switch: Switch) -> Self {
        match switch {
            Switch::On => Self {
                enabled: true,
                disabled: None,
            },
            Switch::Off(disabled) => Self {
                enabled: false,
                disabled: Some(disabled),
            },
        }
    }
}
