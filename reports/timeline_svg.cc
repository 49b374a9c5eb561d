#include "reports/timeline_svg.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <bit>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "model/assert.h"
#include "reports/html.h"
#include "reports/timeline_entries.h"

namespace cdc::reports {

namespace {

// Geometry, in SVG user units (CSS pixels).
constexpr double kLeft = 178;        // lane titles live left of this
constexpr double kRight = 150;       // room for the last labels
constexpr double kMarkerGap = 13;    // between markers at one tick in one lane
constexpr double kMinColumn = 16;    // width of a tick's column
constexpr double kGapUnit = 7;       // extra space per doubling of a tick gap
constexpr double kGapMax = 70;       // at most this much extra space per gap
constexpr double kMarkerRow = 22;    // height of a lane's marker row
constexpr double kTrackHeight = 12;  // height of one row of labels
constexpr double kCharWidth = 6.05;  // monospace 10px
constexpr size_t kTracksMax = 8;     // labels beyond these rows are left out (tooltip only)
constexpr double kAxisHeight = 34;
constexpr double kMinWidth = 960;
constexpr double kLegendWidth = 1100;

struct Placed {
  const TimelineEntry* entry = nullptr;
  double x = 0;
  size_t track = 0;
  bool labelled = true;
};

struct LaneLayout {
  std::vector<Placed> items;
  size_t tracks = 1;
  double top = 0;
  double height = 0;
};

struct Layout {
  std::vector<uint64_t> ticks;      // distinct, sorted
  std::map<uint64_t, double> x_of;  // tick -> centre of its column
  std::vector<uint64_t> breaks;     // ticks after a gap wider than kAxisBreakTicks
  std::array<LaneLayout, kLaneCount> lanes;
  double width = 0;
  double lanes_bottom = 0;
};

size_t code_points(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

double label_width(const std::string& s) {
  return static_cast<double>(code_points(s)) * kCharWidth;
}

// Distinct ticks and the centre of each tick's column.
void place_ticks(const std::vector<TimelineEntry>& entries, const KeyTimeline& t, Layout& l) {
  std::map<uint64_t, size_t> widest;  // tick -> most entries in one lane at that tick
  std::map<std::pair<uint64_t, Lane>, size_t> per_lane;
  for (const TimelineEntry& e : entries) {
    const size_t n = ++per_lane[{e.tick, e.lane}];
    widest[e.tick] = std::max(widest[e.tick], n);
  }
  if (t.drain.reached) widest.emplace(t.drain.tick, 1);
  double x = kLeft + 12;
  double prev_half = 0;
  uint64_t prev = 0;
  for (const auto& [tick, n] : widest) {
    const double half = std::max(kMinColumn, static_cast<double>(n) * kMarkerGap) / 2;
    if (!l.ticks.empty()) {
      const uint64_t gap = tick - prev;
      const double extra = std::min(kGapMax, kGapUnit * static_cast<double>(std::bit_width(gap)));
      x += prev_half + extra + half;
      if (gap > kAxisBreakTicks) l.breaks.push_back(tick);
    }
    l.ticks.push_back(tick);
    l.x_of[tick] = x;
    prev = tick;
    prev_half = half;
  }
  l.width = std::max(kMinWidth, x + prev_half + kRight);
}

// Markers side by side at one tick; labels packed into rows without overlap.
void place_lane(const std::vector<const TimelineEntry*>& lane, const Layout& l, LaneLayout& out) {
  std::map<uint64_t, size_t> at_tick;
  for (const TimelineEntry* e : lane)
    ++at_tick[e->tick];
  std::map<uint64_t, size_t> seen;
  std::vector<double> track_end;  // right edge of the last label in each row
  for (const TimelineEntry* e : lane) {
    const size_t n = at_tick[e->tick];
    const size_t i = seen[e->tick]++;
    const double x =
        l.x_of.at(e->tick) + (static_cast<double>(i) - static_cast<double>(n - 1) / 2) * kMarkerGap;
    Placed p{e, x, 0, false};
    const double left = x - 4;
    for (size_t k = 0; k < kTracksMax; ++k) {
      if (k == track_end.size()) track_end.push_back(-1e9);
      if (track_end[k] + 6 <= left) {
        p.track = k;
        p.labelled = true;
        track_end[k] = left + label_width(e->label);
        break;
      }
    }
    out.items.push_back(p);
  }
  out.tracks = std::max<size_t>(1, track_end.size());
  CDC_ASSERT(out.tracks <= kTracksMax, "label rows are bounded");
  out.height = kMarkerRow + static_cast<double>(out.tracks) * kTrackHeight + 8;
}

Layout layout(const std::vector<TimelineEntry>& entries, const KeyTimeline& t) {
  Layout l;
  place_ticks(entries, t, l);
  std::array<std::vector<const TimelineEntry*>, kLaneCount> by_lane;
  for (const TimelineEntry& e : entries)
    by_lane[static_cast<size_t>(e.lane)].push_back(&e);
  double top = 8;
  for (size_t i = 0; i < kLaneCount; ++i) {
    place_lane(by_lane[i], l, l.lanes[i]);
    l.lanes[i].top = top;
    top += l.lanes[i].height;
  }
  l.lanes_bottom = top;
  return l;
}

struct Style {
  const char* shape;  // circle, square, diamond, triangle, cross, bar
  const char* color;
  bool hollow;
};

Style style_of(EntryKind k) {
  switch (k) {
    case EntryKind::kInsert:
      return {"circle", "#2e7d32", false};
    case EntryKind::kUpdate:
      return {"circle", "#1565c0", false};
    case EntryKind::kDelete:
      return {"circle", "#c62828", false};
    case EntryKind::kNoChange:
      return {"circle", "#757575", true};
    case EntryKind::kBackfillStart:
      return {"bar", "#6a1b9a", false};
    case EntryKind::kBackfillDone:
      return {"diamond", "#6a1b9a", false};
    case EntryKind::kChunkRead:
      return {"square", "#00838f", false};
    case EntryKind::kChunkFiltered:
      return {"square", "#ef6c00", false};
    case EntryKind::kChunkCovered:
      return {"square", "#00838f", true};
    case EntryKind::kChunkFailed:
      return {"cross", "#c62828", false};
    case EntryKind::kDocCreate:
      return {"diamond", "#2e7d32", false};
    case EntryKind::kDocUpdate:
      return {"diamond", "#1565c0", false};
    case EntryKind::kDocDelete:
      return {"diamond", "#c62828", false};
    case EntryKind::kDocSnapshot:
      return {"square", "#00838f", false};
    case EntryKind::kExpiry:
      return {"cross", "#212121", false};
    case EntryKind::kDestUpsert:
      return {"triangle", "#1565c0", false};
    case EntryKind::kDestDelete:
      return {"triangle", "#c62828", false};
    case EntryKind::kDestTruncate:
      return {"bar", "#212121", false};
    case EntryKind::kOperation:
      return {"triangle", "#546e7a", false};
    case EntryKind::kFault:
      return {"triangle", "#b71c1c", false};
    case EntryKind::kRetention:
      return {"triangle", "#8c959f", true};
    case EntryKind::kCaptureStart:
      return {"circle", "#2e7d32", true};
    case EntryKind::kCaptureError:
      return {"cross", "#b71c1c", false};
    case EntryKind::kMove:
      return {"diamond", "#6d4c41", true};
  }
  return {"circle", "#000000", false};
}

std::string shape(const Style& s, double x, double y, bool gone) {
  const bool hollow = s.hollow || gone;
  const std::string fill = hollow ? "#ffffff" : s.color;
  const std::string paint =
      fmt::format("fill=\"{}\" stroke=\"{}\" stroke-width=\"1.6\"", fill, s.color);
  const std::string sh = s.shape;
  if (sh == "circle")
    return fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4.6\" {}/>", x, y, paint);
  if (sh == "square") {
    return fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"8.4\" height=\"8.4\" {}/>", x - 4.2,
                       y - 4.2, paint);
  }
  if (sh == "diamond") {
    return fmt::format("<path d=\"M{:.1f} {:.1f}l5 5l-5 5l-5 -5z\" {}/>", x, y - 5, paint);
  }
  if (sh == "triangle") {
    return fmt::format("<path d=\"M{:.1f} {:.1f}l5 9h-10z\" {}/>", x, y - 5, paint);
  }
  if (sh == "bar") {
    return fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"3\" height=\"16\" {}/>", x - 1.5,
                       y - 8, paint);
  }
  return fmt::format(
      "<path d=\"M{:.1f} {:.1f}l8 8M{:.1f} {:.1f}l-8 8\" stroke=\"{}\" stroke-width=\"2.2\"/>",
      x - 4, y - 4, x + 4, y - 4, s.color);
}

std::string render_lane(const LaneLayout& lane, Lane which, size_t index, double width) {
  std::string out = fmt::format(
      "<rect x=\"0\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>"
      "<text x=\"8\" y=\"{:.1f}\" class=\"lane\">{}</text>",
      lane.top, width, lane.height, index % 2 == 0 ? "#f6f8fa" : "#ffffff", lane.top + 15,
      html_escape(lane_title(which)));
  const double marker_y = lane.top + 12;
  auto label_y = [&](const Placed& p) {
    return lane.top + kMarkerRow + static_cast<double>(p.track) * kTrackHeight + 7;
  };
  // Leaders first, so that every label (with its halo) lies above them.
  for (const Placed& p : lane.items) {
    if (!p.labelled || p.track == 0) continue;
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" class=\"leader\"/>", p.x,
        marker_y + 6, label_y(p) - 8);
  }
  for (const Placed& p : lane.items) {
    const TimelineEntry& e = *p.entry;
    out += fmt::format("<g><title>{}</title>",
                       html_escape("tick " + std::to_string(e.tick) + " \u00b7 " +
                                   lane_title(e.lane) + "\n" + e.detail));
    if (p.labelled) {
      out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"lbl{}\">{}</text>", p.x - 4,
                         label_y(p), e.gone ? " gone" : "", html_escape(e.label));
    }
    out += shape(style_of(e.kind), p.x, marker_y, e.gone) + "</g>";
  }
  return out;
}

// Faint lines through every lane at faults, capture errors and the drain.
std::string guides(const std::vector<TimelineEntry>& entries, const KeyTimeline& t,
                   const Layout& l) {
  std::string out;
  for (const TimelineEntry& e : entries) {
    if (e.kind != EntryKind::kFault && e.kind != EntryKind::kCaptureError) continue;
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"8\" x2=\"{0:.1f}\" y2=\"{1:.1f}\" class=\"fault-guide\"/>",
        l.x_of.at(e.tick), l.lanes_bottom);
  }
  if (t.drain.reached) {
    const double x = l.x_of.at(t.drain.tick);
    out += fmt::format(
        "<g><title>{}</title><line x1=\"{:.1f}\" y1=\"8\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
        "class=\"drain\"/><text x=\"{:.1f}\" y=\"{:.1f}\" class=\"drain-lbl\">drained</text></g>",
        html_escape("the run drained at tick " + std::to_string(t.drain.tick) + " to lsn " +
                    to_string(t.drain.source_flush_lsn)),
        x, x, l.lanes_bottom, x + 3, l.lanes_bottom - 3);
  }
  return out;
}

std::string axis(const Layout& l) {
  const double y = l.lanes_bottom + 6;
  std::string out = fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"axis\"/>"
      "<text x=\"8\" y=\"{:.1f}\" class=\"lane\">tick</text>",
      kLeft, y, l.width - 20, y, y + 16);
  double last_end = -1e9;
  for (uint64_t tick : l.ticks) {
    const double x = l.x_of.at(tick);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
        "class=\"axis\"/>",
        x, y, y + 4);
    const std::string text = std::to_string(tick);
    const double w = static_cast<double>(text.size()) * kCharWidth;
    if (x - w / 2 < last_end + 4) continue;
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\">{}</text>", x, y + 15, text);
    last_end = x + w / 2;
  }
  for (uint64_t tick : l.breaks) {
    const auto it = std::find(l.ticks.begin(), l.ticks.end(), tick);
    CDC_ASSERT(it != l.ticks.begin() && it != l.ticks.end(), "a break follows an earlier tick");
    const double x = (l.x_of.at(*(it - 1)) + l.x_of.at(tick)) / 2;
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"break\">//</text>", x, y + 4);
  }
  return out;
}

// Wraps at kLegendWidth at most, so that it shows without scrolling.
std::string legend(double top, double full_width, double* height) {
  const double width = std::min(full_width, kLegendWidth);
  static const EntryKind kShown[] = {
      EntryKind::kInsert,        EntryKind::kUpdate,        EntryKind::kDelete,
      EntryKind::kBackfillStart, EntryKind::kBackfillDone,  EntryKind::kChunkRead,
      EntryKind::kChunkCovered,  EntryKind::kChunkFiltered, EntryKind::kChunkFailed,
      EntryKind::kDocCreate,     EntryKind::kDocUpdate,     EntryKind::kDocDelete,
      EntryKind::kDocSnapshot,   EntryKind::kExpiry,        EntryKind::kDestUpsert,
      EntryKind::kDestDelete,    EntryKind::kDestTruncate,  EntryKind::kOperation,
      EntryKind::kFault,         EntryKind::kRetention,     EntryKind::kCaptureStart,
      EntryKind::kCaptureError};
  std::string out;
  double x = 8;
  double y = top + 12;
  for (EntryKind k : kShown) {
    const std::string name = to_string(k);
    const double w = 22 + static_cast<double>(name.size()) * kCharWidth + 14;
    if (x + w > width - 8) {
      x = 8;
      y += 18;
    }
    out += shape(style_of(k), x + 6, y, false);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"legend\">{}</text>", x + 16, y + 4,
                       name);
    x += w;
  }
  const std::pair<const char*, const char*> extras[] = {{"gone", "hollow: not kept at the end"},
                                                        {"fault-guide", "a fault"},
                                                        {"drain", "the run drained"}};
  for (const auto& [what, text] : extras) {
    const double w = 22 + static_cast<double>(std::string_view(text).size()) * kCharWidth + 14;
    if (x + w > width - 8) {
      x = 8;
      y += 18;
    }
    if (std::string_view(what) == "gone") {
      out += shape(style_of(EntryKind::kDocUpdate), x + 6, y, true);
    } else {
      out += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
          "class=\"{3}\"/>",
          x + 6, y - 7, y + 7, what);
    }
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"legend\">{}</text>", x + 16, y + 4,
                       text);
    x += w;
  }
  *height = y + 12 - top;
  return out;
}

constexpr char kStyle[] =
    "<style>"
    ".lane{font:600 11px system-ui,sans-serif;fill:#24292f}"
    ".lbl{font:10px ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;fill:#24292f;"
    "paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}"
    ".lbl.gone{fill:#8c959f}"
    ".tick{font:10px ui-monospace,'DejaVu Sans Mono',monospace;fill:#57606a;text-anchor:middle}"
    ".break{font:700 11px sans-serif;fill:#57606a;text-anchor:middle}"
    ".legend{font:10px ui-monospace,'DejaVu Sans Mono',monospace;fill:#57606a}"
    ".axis{stroke:#57606a;stroke-width:1}"
    ".leader{stroke:#afb8c1;stroke-width:0.8}"
    ".fault-guide{stroke:#d1242f;stroke-width:1;stroke-dasharray:3 3;opacity:.45}"
    ".drain{stroke:#1a7f37;stroke-width:1.5;stroke-dasharray:6 3}"
    ".drain-lbl{font:600 10px system-ui,sans-serif;fill:#1a7f37}"
    "</style>";

}  // namespace

std::string timeline_svg(const KeyTimeline& t) {
  const std::vector<TimelineEntry> entries = timeline_entries(t);
  const Layout l = layout(entries, t);
  CDC_ASSERT(l.ticks.size() <= entries.size() + 1, "one column per distinct tick");
  std::string body;
  for (size_t i = 0; i < kLaneCount; ++i)
    body += render_lane(l.lanes[i], static_cast<Lane>(i), i, l.width);
  body += guides(entries, t, l);
  body += axis(l);
  double legend_height = 0;
  body += legend(l.lanes_bottom + kAxisHeight, l.width, &legend_height);
  const double height = l.lanes_bottom + kAxisHeight + legend_height + 8;
  const std::string label = "timeline of key " + t.key_text + " of " + t.binding_text;
  return fmt::format(
      "<svg class=\"timeline\" role=\"img\" aria-label=\"{0}\" width=\"{1:.0f}\" "
      "height=\"{2:.0f}\" viewBox=\"0 0 {1:.0f} {2:.0f}\"><title>{0}</title>{3}{4}</svg>",
      html_escape(label), l.width, height, kStyle, body);
}

}  // namespace cdc::reports
