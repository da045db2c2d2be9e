//! The template engine: built-in templates are embedded in the binary; a user directory can
//! override any of them by relative file name (`etcd/30-certs.conf.tera`).

use std::path::Path;

use include_dir::{include_dir, Dir};
use serde::Serialize;

use crate::diag::{io_problem, Problem};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Every built-in template as (relative name, text), sorted by name.
pub fn builtin_templates() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    collect(&BUILTIN, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static str)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            let name = file.path().to_string_lossy().replace('\\', "/");
            if name.ends_with(".tera") {
                out.push((name, text));
            }
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// The loaded templates.
pub struct Templates {
    tera: tera::Tera,
}

impl Templates {
    /// The built-in templates, with the files of `overrides` (if any) replacing them by name.
    pub fn load(overrides: Option<&Path>) -> Result<Self, Problem> {
        let builtin = builtin_templates();
        let mut files: Vec<(String, String)> = builtin
            .iter()
            .map(|(n, t)| (n.clone(), t.to_string()))
            .collect();
        if let Some(dir) = overrides {
            let mut found = Vec::new();
            walk(dir, dir, &mut found)?;
            found.sort();
            for (name, path) in found {
                let Some(slot) = files.iter_mut().find(|(n, _)| *n == name) else {
                    let names: Vec<&str> = builtin.iter().map(|(n, _)| n.as_str()).collect();
                    let hint = match crate::model::did_you_mean(&name, &names) {
                        Some(s) => format!("did you mean `{s}`? "),
                        None => String::new(),
                    };
                    return Err(Problem::error(
                        "template::unknown",
                        format!("{} does not override any built-in template", path.display()),
                    )
                    .with_help(format!(
                        "{hint}`tlsgen init --templates DIR` writes the built-in templates with their names"
                    )));
                };
                slot.1 =
                    std::fs::read_to_string(&path).map_err(|e| io_problem("read", &path, &e))?;
            }
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![]);
        tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_problem(&e))?;
        Ok(Templates { tera })
    }

    /// Render one template with a typed context.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Problem> {
        let ctx = tera::Context::from_serialize(context).map_err(|e| template_problem(&e))?;
        let mut text = self
            .tera
            .render(name, &ctx)
            .map_err(|e| template_problem(&e))?;
        // One trailing newline, whatever the template's last line does.
        while text.ends_with("\n\n") {
            text.pop();
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(text)
    }
}

fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, std::path::PathBuf)>,
) -> Result<(), Problem> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_problem("read", dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_problem("read", dir, &e))?;
        let path = entry.path();
        let ft = entry
            .file_type()
            .map_err(|e| io_problem("read", &path, &e))?;
        if ft.is_dir() {
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "tera") {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
    Ok(())
}

fn template_problem(err: &tera::Error) -> Problem {
    let mut msg = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    Problem::error("template::error", format!("template error: {msg}"))
        .with_help("check the template syntax (Tera) and the variable names it uses against the built-in template")
}

/// Write the built-in templates under `dir` for editing; refuses to overwrite unless `force`.
pub fn write_builtins(dir: &Path, force: bool) -> Result<Vec<std::path::PathBuf>, Problem> {
    let mut written = Vec::new();
    for (name, text) in builtin_templates() {
        let path = dir.join(&name);
        if path.exists() && !force {
            return Err(Problem::error(
                "init::exists",
                format!("{} already exists", path.display()),
            )
            .with_help("pass --force to overwrite it, or choose another directory"));
        }
        crate::render::output::write_atomic(&path, text.as_bytes(), 0o644)?;
        written.push(path);
    }
    Ok(written)
}
