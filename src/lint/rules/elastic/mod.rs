//! DC/OS Elastic options rules (FACTS §6 and §8).

pub mod dcos001_transport_encryption_disabled;
