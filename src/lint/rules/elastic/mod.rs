//! DC/OS Elastic options rules (FACTS §6 and §8).

pub mod dcos001_transport_encryption_disabled;
pub mod dcos002_service_account_missing;
pub mod dcos003_transport_encryption_toggle_serial;
pub mod dcos004_options_schema_violation;
pub mod dcos005_xpack_enabled_set;
pub mod dcos006_weak_xpack_security;
