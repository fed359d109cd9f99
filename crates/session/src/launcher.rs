//! "Add to desktop": a desktop launcher (a freedesktop `.desktop` file) named after an entry, that
//! starts the app on this vault and signs in with the entry, so the CRM is one click away.

use std::path::{Path, PathBuf};

/// The launcher's text. `program` is the app, `vault` this vault's file, `entry` the entry's id
/// (an id, not a title: a renamed entry keeps its launcher working).
pub fn desktop_file(title: &str, program: &Path, vault: &Path, entry: &str) -> String {
    let exec =
        [program.display().to_string(), "--vault".into(), vault.display().to_string(), "--login".into(), entry.into()]
            .iter()
            .map(|arg| exec_argument(arg))
            .collect::<Vec<_>>()
            .join(" ");
    let name = one_line(title);
    format!(
        "[Desktop Entry]\nType=Application\nVersion=1.0\nName={name}\nComment=Sign in to {name} with CRM Vault\n\
         Comment[zh_CN]=用 CRM Vault 登录 {name}\nExec={exec}\nIcon=crm-vault\nTerminal=false\nCategories=Office;Network;\n"
    )
}

/// The file name for an entry's launcher: its title without the characters a file name cannot have.
pub fn file_name(title: &str) -> String {
    let name: String =
        one_line(title).chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '-' } else { c }).collect();
    let name = name.trim().trim_start_matches('.').to_owned();
    format!("{}.desktop", if name.is_empty() { "CRM Vault login".into() } else { name })
}

/// `folder/<title>.desktop`, or `<title> (2).desktop`... when that name is another entry's.
pub fn free_path(folder: &Path, title: &str, text: &str) -> PathBuf {
    let name = file_name(title);
    let first = folder.join(&name);
    let stem = name.trim_end_matches(".desktop").to_owned();
    std::iter::once(first)
        .chain((2..100).map(|n| folder.join(format!("{stem} ({n}).desktop"))))
        .find(|p| std::fs::read_to_string(p).map_or(true, |existing| existing == text))
        .unwrap_or_else(|| folder.join(name))
}

/// A value on one line: the key file format has no line breaks in values.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// One argument of `Exec`, quoted by the Desktop Entry rules: inside double quotes, `"`, `` ` ``,
/// `$` and `\` take a backslash; then the key file's own escaping doubles every backslash; `%`
/// (a field code) is written `%%`.
fn exec_argument(arg: &str) -> String {
    let mut quoted = String::from("\"");
    for c in arg.chars() {
        match c {
            '"' | '`' | '$' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            '%' => quoted.push_str("%%"),
            '\n' | '\r' => quoted.push(' '),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted.replace('\\', "\\\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_launcher_runs_the_app_on_this_vault_with_the_entry() {
        let text = desktop_file(
            "纷享销客 CRM",
            Path::new("/usr/bin/crm-vault-app"),
            Path::new("/home/li/同步 $HOME/vault \"2\".crmvault"),
            "0b7c",
        );
        assert!(text.starts_with("[Desktop Entry]\nType=Application\n"));
        assert!(text.contains("\nName=纷享销客 CRM\n"));
        let exec = text.lines().find_map(|l| l.strip_prefix("Exec=")).unwrap();
        assert_eq!(
            exec,
            r#""/usr/bin/crm-vault-app" "--vault" "/home/li/同步 \\$HOME/vault \\"2\\".crmvault" "--login" "0b7c""#
        );
    }

    #[test]
    fn titles_become_file_names_and_a_line_break_cannot_add_a_key() {
        assert_eq!(file_name("Sales/CRM"), "Sales-CRM.desktop");
        assert_eq!(file_name("../.."), "-...desktop");
        assert_eq!(file_name(""), "CRM Vault login.desktop");
        let text = desktop_file("CRM\nExec=rm -rf ~", Path::new("/a"), Path::new("/v"), "1");
        assert!(!text.contains("\nExec=rm"), "{text}");
        assert_eq!(text.lines().filter(|l| l.starts_with("Exec=")).count(), 1);
        assert!(desktop_file("100%", Path::new("/a%b"), Path::new("/v"), "1").contains("\"/a%%b\""));
    }

    #[test]
    fn another_entrys_launcher_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let mine = desktop_file("CRM", Path::new("/a"), Path::new("/v"), "1");
        std::fs::write(dir.path().join("CRM.desktop"), "someone else's").unwrap();
        assert_eq!(free_path(dir.path(), "CRM", &mine), dir.path().join("CRM (2).desktop"));
        std::fs::write(dir.path().join("CRM (2).desktop"), &mine).unwrap();
        assert_eq!(free_path(dir.path(), "CRM", &mine), dir.path().join("CRM (2).desktop"), "its own is replaced");
    }
}
