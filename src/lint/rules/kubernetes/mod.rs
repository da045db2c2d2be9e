//! Kubernetes `EncryptionConfiguration` rules (FACTS §5 and §8).

pub mod k8senc001_identity_provider_first;
