//! Kubernetes `EncryptionConfiguration` rules (FACTS §5 and §8).

pub mod k8senc001_identity_provider_first;
pub mod k8senc002_weak_first_provider;
pub mod k8senc003_secrets_not_encrypted;
pub mod k8senc004_kms_v1_provider;
pub mod k8senc005_invalid_kms_provider;
pub mod k8senc006_invalid_encryption_key;
pub mod k8senc007_invalid_provider_element_or_resource;
pub mod k8senc008_legacy_encryption_config;
