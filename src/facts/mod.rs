//! Facts about the programs tlsgen configures that `render` and `lint` both read, so neither
//! imports the other (STYLE.md "Knowledge as data"). Each fact names its source (FACTS.md ids).

pub mod etcd;
