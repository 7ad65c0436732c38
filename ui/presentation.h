#pragma once

#include <QList>
#include <QString>

namespace cr::ui {

/// Blinded presentation of an item's responses to one rater.
///
/// The order is a deterministic shuffle of `count` positions seeded by the
/// assignment's display seed (cr::analysis::Rng), so a rater always sees an
/// item's responses in the same order while raters differ. Element i is the
/// index (into the responses as listed by storage) shown at position i.
QList<int> presentationOrder(int count, quint64 seed);

/// The label shown for display position `position` (0-based): "A", "B", … "Z", "AA", …
QString presentationLabel(int position);

} // namespace cr::ui
