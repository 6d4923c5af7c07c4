//! template.yaml as JSON, read by cfn-lint's YAML loader (it knows
//! CloudFormation's short tags: `!Ref X` reads as `{"Ref": "X"}`).

use serde_json::Value;

/// The whole template. cfn-lint comes from the venv scripts/test.sh installs.
pub fn template() -> Value {
    let python = std::env::var("HOOKRELAY_TEST_PYTHON")
        .expect("HOOKRELAY_TEST_PYTHON is not set: run scripts/test.sh (it installs cfn-lint)");
    let script = "import json, sys\nfrom cfnlint.decode import cfn_yaml\nprint(json.dumps(cfn_yaml.load(sys.argv[1])))";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
    let output = std::process::Command::new(python)
        .args(["-c", script, path])
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("template as JSON")
}
