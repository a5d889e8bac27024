//! The file format the learned attribution models share: a four-byte magic,
//! the feature version, the decision threshold, then the non-zero weights of
//! a hashed table as (slot, weight) pairs, all little-endian. A model may
//! append data of its own after the weights (the fragment model's cue
//! lexicon). Kept in one place so that the models and their trainers cannot
//! drift apart on how the shipped bytes are laid out.

/// What a model file holds up to the end of its weights.
pub struct WeightsFile {
    /// The full table, zero where the file has no entry.
    pub weights: Vec<f32>,
    pub threshold: f32,
    /// Where the data after the weights starts.
    pub end: usize,
}

/// Reads the header and weights of a table of `table_size` slots; `None`
/// when the magic or version differ or an entry lies outside the bytes or
/// the table.
pub fn read(bytes: &[u8], magic: &[u8; 4], version: u32, table_size: usize) -> Option<WeightsFile> {
    let read_u32 = |at: usize| Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    if bytes.get(..4)? != magic || read_u32(4)? != version {
        return None;
    }
    let threshold = f32::from_bits(read_u32(8)?);
    let count = read_u32(12)? as usize;
    let mut weights = vec![0.0; table_size];
    for entry in 0..count {
        let at = 16 + entry * 8;
        let index = read_u32(at)? as usize;
        *weights.get_mut(index)? = f32::from_bits(read_u32(at + 4)?);
    }
    Some(WeightsFile { weights, threshold, end: 16 + count * 8 })
}

/// Writes the header and the non-zero `weights` (in slot order).
pub fn write(magic: &[u8; 4], version: u32, threshold: f32, weights: &[f32]) -> Vec<u8> {
    let entries: Vec<(u32, f32)> = weights
        .iter()
        .enumerate()
        .filter(|(_, weight)| **weight != 0.0)
        .map(|(index, weight)| (index as u32, *weight))
        .collect();
    let mut bytes = Vec::with_capacity(16 + entries.len() * 8);
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&version.to_le_bytes());
    bytes.extend_from_slice(&threshold.to_bits().to_le_bytes());
    bytes.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (index, weight) in entries {
        bytes.extend_from_slice(&index.to_le_bytes());
        bytes.extend_from_slice(&weight.to_bits().to_le_bytes());
    }
    bytes
}

/// The model a process uses: the compiled-in bytes, read on first use,
/// until another model is installed (training and the held-out evaluation
/// replace it). Held in a `static` by each model that may be replaced at
/// any time.
pub struct ModelSlot<Model: 'static> {
    compiled_in: &'static [u8],
    read: fn(&[u8]) -> Option<Model>,
    slot: std::sync::OnceLock<std::sync::RwLock<Option<std::sync::Arc<Model>>>>,
}

impl<Model> ModelSlot<Model> {
    /// A slot whose model is `read` from `compiled_in` on first use.
    pub const fn new(compiled_in: &'static [u8], read: fn(&[u8]) -> Option<Model>) -> ModelSlot<Model> {
        ModelSlot { compiled_in, read, slot: std::sync::OnceLock::new() }
    }

    fn lock(&self) -> &std::sync::RwLock<Option<std::sync::Arc<Model>>> {
        self.slot.get_or_init(|| std::sync::RwLock::new((self.read)(self.compiled_in).map(std::sync::Arc::new)))
    }

    /// The model in use; `None` when its bytes were refused.
    pub fn get(&self) -> Option<std::sync::Arc<Model>> {
        self.lock().read().map_or(None, |model| model.clone())
    }

    /// Replaces the model for the rest of the process (`None` when `bytes` are refused).
    pub fn install(&self, bytes: &[u8]) {
        if let Ok(mut model) = self.lock().write() {
            *model = (self.read)(bytes).map(std::sync::Arc::new);
        }
    }
}

/// For each model's tests: `read` refuses what is not a whole model file
/// of its own, namely no bytes, a bare `header` (another model's magic, or
/// its own, with no weights), its `shipped` bytes with the version
/// changed, and its shipped bytes cut short.
#[cfg(test)]
pub fn assert_refuses_other_bytes<Model>(read: fn(&[u8]) -> Option<Model>, shipped: &[u8], header: &[u8]) {
    assert!(read(&[]).is_none(), "no bytes");
    assert!(read(header).is_none(), "a bare header");
    let mut wrong_version = shipped.to_vec();
    wrong_version[4] ^= 0xff;
    assert!(read(&wrong_version).is_none(), "another version");
    assert!(read(&shipped[..shipped.len() - 3]).is_none(), "cut short");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_weights_read_back() {
        let weights = [0.0, 1.5, 0.0, -2.0];
        let bytes = write(b"TEST", 7, 0.25, &weights);
        let file = read(&bytes, b"TEST", 7, 4).expect("reads back");
        assert_eq!(file.weights, weights);
        assert_eq!(file.threshold, 0.25);
        assert_eq!(file.end, bytes.len());
        assert!(read(&bytes, b"TEST", 8, 4).is_none(), "another version is refused");
        assert!(read(&bytes, b"TEST", 7, 2).is_none(), "a slot outside the table is refused");
    }
}
