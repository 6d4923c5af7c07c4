//! Where the keys that seal secrets at rest come from (DESIGN.md §9,
//! `sealing`): `KMS_KEY_ARN`, or master keys the process holds.

use super::{invalid, ConfigError, Env};
use crate::domain::sealed::MasterKeys;

#[derive(Clone, Debug)]
pub enum KeySource {
    /// `KMS_KEY_ARN`: data keys from this KMS key (the template sets it;
    /// Lambda needs it).
    Kms(String),
    /// `HOOKRELAY_MASTER_KEY` (or the file `HOOKRELAY_MASTER_KEY_FILE` holds),
    /// with `HOOKRELAY_MASTER_KEY_PREVIOUS`: master keys held by the process.
    Master(MasterKeys),
    /// Neither: the local runner makes a key (in memory, one that ends with
    /// the process; with `--aws`, the KMS key `alias/{TABLE_NAME}`).
    Unset,
}

const CURRENT: &str = "HOOKRELAY_MASTER_KEY";
const FILE: &str = "HOOKRELAY_MASTER_KEY_FILE";
const PREVIOUS: &str = "HOOKRELAY_MASTER_KEY_PREVIOUS";

pub(super) fn key_source(env: &Env<'_>) -> Result<KeySource, ConfigError> {
    let kms = env.text("KMS_KEY_ARN").map(|arn| arn.trim().to_owned());
    let master = match (env.text(CURRENT), env.text(FILE)) {
        (Some(_), Some(_)) => {
            return Err(invalid(FILE, format!("set {CURRENT} or {FILE}, not both")))
        }
        (Some(key), None) => Some((CURRENT, key)),
        (None, Some(path)) => {
            let key = std::fs::read_to_string(path.trim())
                .map_err(|e| invalid(FILE, format!("cannot read `{path}`: {e}")))?;
            Some((FILE, key))
        }
        (None, None) => None,
    };
    let previous = env.text(PREVIOUS);
    match (kms, master) {
        (Some(_), Some((variable, _))) => Err(invalid(
            variable,
            "set KMS_KEY_ARN or a master key, not both",
        )),
        (Some(arn), None) if previous.is_none() => Ok(KeySource::Kms(arn)),
        (None, Some((variable, key))) => {
            let keys = MasterKeys::parse(&key, None).map_err(|m| invalid(variable, m))?;
            let previous =
                MasterKeys::parse(&key, previous.as_deref()).map_err(|m| invalid(PREVIOUS, m))?;
            Ok(KeySource::Master(MasterKeys {
                previous: previous.previous,
                ..keys
            }))
        }
        (None, None) if previous.is_none() => Ok(KeySource::Unset),
        _ => Err(invalid(
            PREVIOUS,
            format!("needs {CURRENT} (or {FILE}): previous keys only unwrap"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Deployment, Settings};
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    fn source(vars: &[(&str, &str)]) -> Result<KeySource, ConfigError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(Deployment::Local, |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
        .map(|s| s.keys)
    }

    #[test]
    fn keys_come_from_kms_or_master_keys_never_both() {
        let (one, two) = (STANDARD.encode([1u8; 32]), STANDARD.encode([2u8; 32]));
        assert!(matches!(source(&[]), Ok(KeySource::Unset)));
        assert!(
            matches!(source(&[("KMS_KEY_ARN", "arn:k")]), Ok(KeySource::Kms(a)) if a == "arn:k")
        );
        let Ok(KeySource::Master(keys)) = source(&[(CURRENT, &one), (PREVIOUS, &two)]) else {
            panic!("master keys");
        };
        assert_eq!((keys.current, keys.previous), ([1; 32], vec![[2; 32]]));
        let file = std::env::temp_dir().join(format!("hookrelay-key-{}", std::process::id()));
        std::fs::write(&file, format!("{one}\n")).unwrap();
        let from_file = source(&[(FILE, file.to_str().unwrap())]);
        std::fs::remove_file(&file).unwrap();
        assert!(matches!(from_file, Ok(KeySource::Master(k)) if k.current == [1; 32]));
        for (bad, variable) in [
            (
                vec![("KMS_KEY_ARN", "arn:k"), (CURRENT, one.as_str())],
                CURRENT,
            ),
            (vec![(CURRENT, "short")], CURRENT),
            (vec![(CURRENT, one.as_str()), (PREVIOUS, "x")], PREVIOUS),
            (vec![(PREVIOUS, two.as_str())], PREVIOUS),
            (vec![(FILE, "/no/such/file")], FILE),
        ] {
            assert_eq!(source(&bad).unwrap_err().variable, variable, "{bad:?}");
        }
    }
}
