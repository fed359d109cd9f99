//! Lending spare keycodes to characters the keyboard layout lacks (Chinese, `é` on a US layout),
//! as KeePassXC and xdotool do: the keycode is mapped to the character's keysym, pressed, and
//! given back empty once the typing is over, also when it fails.

use std::fmt;
use std::thread::sleep;
use std::time::Duration;

use x11rb::protocol::xproto::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;
use zeroize::Zeroizing;

use crate::AutoTypeError;
use crate::keymap::KeyboardMap;
use crate::keysym::{Keysym, NO_SYMBOL};

/// How long a window is given to read a changed mapping before the key is pressed, and to read
/// the key before its mapping changes again. Toolkits fetch the new mapping only when they next
/// translate a key, so changing it too soon would let them see the wrong one. KeePassXC waits
/// 30 ms.
const SETTLE: Duration = Duration::from_millis(40);

/// At most this many keys are lent at once: each change makes every X client reload its map.
const MAX_LENT: usize = 10;

pub struct Remapper {
    spare: Vec<u8>,
    keysyms_per_keycode: u8,
    /// The keycodes lent and to which keysym, the least recently used first. The keysyms are
    /// characters of what is typed, so they are wiped when dropped.
    lent: Zeroizing<Vec<(u8, Keysym)>>,
}

impl fmt::Debug for Remapper {
    /// How many keys are lent, never to which characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remapper").field("spare", &self.spare.len()).field("lent", &self.lent.len()).finish()
    }
}

impl Remapper {
    pub fn new(map: &KeyboardMap) -> Remapper {
        let mut spare = map.spare_keycodes();
        spare.truncate(MAX_LENT);
        Remapper { spare, keysyms_per_keycode: map.keysyms_per_keycode, lent: Zeroizing::new(Vec::new()) }
    }

    /// A keycode typing `keysym` without Shift, lent for it if it has none yet.
    pub fn keycode_for(&mut self, conn: &RustConnection, keysym: Keysym) -> Result<u8, AutoTypeError> {
        if let Some(at) = self.lent.iter().position(|&(_, lent)| lent == keysym) {
            let entry = self.lent.remove(at);
            self.lent.push(entry);
            return Ok(entry.0);
        }
        let keycode = if let Some(&free) = self.spare.get(self.lent.len()) {
            free
        } else if self.lent.is_empty() {
            return Err(AutoTypeError::NoSpareKey);
        } else {
            // The window may not have read the last press of this keycode yet.
            sleep(SETTLE);
            self.lent.remove(0).0
        };
        // Both places: with Caps Lock or Shift on, the key still types this character.
        let mut row = Zeroizing::new(vec![NO_SYMBOL; usize::from(self.keysyms_per_keycode)]);
        row.iter_mut().take(2).for_each(|place| *place = keysym);
        // Recorded before the request, so a failure still gives the keycode back.
        self.lent.push((keycode, keysym));
        conn.change_keyboard_mapping(1, keycode, self.keysyms_per_keycode, &row)?.check()?;
        sleep(SETTLE);
        Ok(keycode)
    }

    /// Gives every lent keycode back empty, as it was.
    pub fn restore(&mut self, conn: &RustConnection) -> Result<(), AutoTypeError> {
        if self.lent.is_empty() {
            return Ok(());
        }
        sleep(SETTLE);
        let empty = vec![NO_SYMBOL; usize::from(self.keysyms_per_keycode)];
        let mut result = Ok(());
        for (keycode, _) in self.lent.drain(..) {
            let restored = conn.change_keyboard_mapping(1, keycode, self.keysyms_per_keycode, &empty);
            if let Err(error) = restored.map_err(AutoTypeError::from).and_then(|c| c.check().map_err(Into::into)) {
                result = result.and(Err(error));
            }
        }
        result
    }
}
