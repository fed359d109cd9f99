// The AppManifest lists the app's commands so each gets an `allow-<command>` permission; a
// window may only call the commands its capability file grants.
fn main() {
    let manifest = tauri_build::AppManifest::new().commands(crm_vault_commands());
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build script");
}

fn crm_vault_commands() -> &'static [&'static str] {
    &[
        "app_state",
        "choose_vault_file",
        "choose_vault_location",
        "create_vault",
        "open_vault",
        "unlock",
        "quick_unlock",
        "lock",
        "list_entries",
        "search",
        "entry_detail",
        "reveal",
        "copy",
        "open_url",
        "open_login",
        "auto_type",
        "add_to_desktop",
        "fill_records",
        "save_entry",
        "delete_entry",
        "restore_entry",
        "list_trash",
        "restore_history",
        "generate_password",
        "generator_options",
        "policy",
        "generate_for_rules",
        "check_password",
        "password_strength",
        "totp_code",
        "totp_qr",
        "parse_totp",
        "import_totp_file",
        "import_totp_clipboard",
        "security_report",
        "choose_hibp_file",
        "clear_hibp_file",
        "update_settings",
        "measure_kdf",
        "current_kdf",
        "change_master_password",
        "set_quick_unlock",
        "sync_status",
        "adopt_new_password",
        "preview_held_copy",
        "merge_held_copy",
        "touch",
    ]
}
