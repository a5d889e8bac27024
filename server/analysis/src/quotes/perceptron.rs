//! The averaged perceptron the quoted-fragment and extent models are
//! trained with: a table of `2^bits` weights indexed by the top bits of a
//! hashed feature, each kept with its running total so that the averaged
//! weights come out without summing the table at every step (the lazy
//! averaging trick). Training only: the shipped models hold the averaged
//! weights, read by each model's own scorer.

/// One weight: its current value, its running total, and the step of its
/// last change.
#[derive(Clone, Copy, Default)]
struct Weight {
    value: f32,
    total: f32,
    stamp: u32,
}

/// The weights being learned.
pub struct Averaged {
    weights: Vec<Weight>,
    table_bits: u32,
    step: u32,
}

impl Averaged {
    /// A table of `2^table_bits` zero weights.
    pub fn new(table_bits: u32) -> Averaged {
        Averaged { weights: vec![Weight::default(); 1 << table_bits], table_bits, step: 1 }
    }

    fn slot(&self, feature: u64) -> usize {
        (feature >> (64 - self.table_bits)) as usize
    }

    /// The current (not averaged) score of `features`.
    pub fn score(&self, features: &[u64]) -> f32 {
        features.iter().map(|feature| self.weights[self.slot(*feature)].value).sum()
    }

    /// Adds `amount` to the weight of every feature.
    pub fn update(&mut self, features: &[u64], amount: f32) {
        for feature in features {
            let step = self.step;
            let slot = self.slot(*feature);
            let weight = &mut self.weights[slot];
            weight.total += weight.value * (step - weight.stamp) as f32;
            weight.stamp = step;
            weight.value += amount;
        }
    }

    /// Ends one training step (one example seen).
    pub fn next_step(&mut self) {
        self.step += 1;
    }

    /// Every weight averaged over the steps so far.
    pub fn averaged(&self) -> Vec<f32> {
        self.weights
            .iter()
            .map(|weight| (weight.total + weight.value * (self.step - weight.stamp) as f32) / self.step as f32)
            .collect()
    }
}

/// Shuffles `order` for one epoch (a Fisher-Yates pass driven by a linear
/// congruential generator whose `state` carries over between epochs), so
/// that every trainer sees its examples in a fixed, repeatable order and
/// writes the same bytes on every run.
pub fn shuffle_for_epoch(order: &mut [usize], state: &mut u64, epoch: usize) {
    for position in (1..order.len()).rev() {
        *state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407 + epoch as u64);
        order.swap(position, (*state >> 33) as usize % (position + 1));
    }
}
