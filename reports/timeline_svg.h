// A key's timeline as a picture: one inline <svg> element for an HTML page,
// readable without the JSON and without scripts.
//
// Layout. A horizontal tick axis runs along the bottom; above it one lane per
// reports::Lane, top to bottom: source commits, backfill chunks / fences,
// collection documents, destination, operations & faults. Each entry is a
// marker at its tick (several at one tick sit side by side) with its short
// label below it; labels that would overlap move to further rows of the lane
// (a thin leader joins them to their marker). Every marker and label carries
// a <title> with the tick, the lane and the entry's full description, which
// browsers show as a tooltip. The axis keeps tick order but not scale: each
// distinct tick gets a column, and a gap between ticks widens the space only
// logarithmically (a broken axis mark "//" shows a gap of more than
// kAxisBreakTicks). Faults (other than retention's periodic expiries) and
// capture errors draw a faint red line through every lane, and the drain
// (when reached) a green one. A legend of the marker shapes and lines closes
// the picture.
//
// Contract: pure; the same timeline gives the same text. All text is
// escaped (reports/html.h). No script, no external reference, no xmlns: the
// element is meant to be inlined in an HTML5 page.
#pragma once

#include <cstdint>
#include <string>

#include "reports/key_timeline.h"

namespace cdc::reports {

inline constexpr uint64_t kAxisBreakTicks = 16;

std::string timeline_svg(const KeyTimeline& t);

}  // namespace cdc::reports
