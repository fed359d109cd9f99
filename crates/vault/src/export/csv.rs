//! Bitwarden-layout CSV export (placeholder until the writer lands: names only).

use crate::model::Vault;

pub fn write(vault: &Vault) -> zeroize::Zeroizing<Vec<u8>> {
    let mut out = String::from(
        "folder,favorite,type,name,notes,fields,reminder,login_uri,login_username,login_password,login_totp\n",
    );
    for entry in vault.live_entries() {
        out.push_str(&format!(",,login,\"{}\",,,,,,,\n", entry.title.value.replace('"', "\"\"")));
    }
    zeroize::Zeroizing::new(out.into_bytes())
}
