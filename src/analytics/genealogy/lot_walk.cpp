#include "analytics/genealogy/lot_walk.h"

#include <algorithm>
#include <unordered_map>

#include "store/catalog/catalog.h"

namespace fh::analytics {

namespace {

// The links among the lots reached, by index, for the cycle search.
using Adjacency = std::vector<std::vector<int32_t>>;

// Back edges of a depth-first search over the reached lots are exactly the links that
// close cycles. Iterative: a long chain must not exhaust the stack.
std::vector<WalkCycle> FindCycles(const LotWalk& walk, const Adjacency& next) {
  enum : uint8_t { kNew, kOpen, kDone };
  std::vector<uint8_t> state(next.size(), kNew);
  std::vector<std::pair<int32_t, size_t>> stack;  // (lot, next link to look at)
  std::vector<WalkCycle> cycles;
  for (int32_t root = 0; root < static_cast<int32_t>(next.size()); ++root) {
    if (state[root] != kNew) continue;
    stack.push_back({root, 0});
    state[root] = kOpen;
    while (!stack.empty()) {
      auto& [u, i] = stack.back();
      if (i == next[u].size()) {
        state[u] = kDone;
        stack.pop_back();
        continue;
      }
      int32_t v = next[u][i++];
      if (state[v] == kOpen) {
        cycles.push_back({walk.lots[u].lot_id, walk.lots[v].lot_id});
      } else if (state[v] == kNew) {
        state[v] = kOpen;
        stack.push_back({v, 0});
      }
    }
  }
  return cycles;
}

}  // namespace

namespace {

Status Walk(Catalog& catalog, int64_t start, const WalkOptions& options, LotWalk& walk) {
  FH_RETURN_IF_ERROR(catalog.GetLot(start).status());
  walk.direction = options.direction;
  walk.lots.push_back({.lot_id = start});
  std::unordered_map<int64_t, int32_t> index_of{{start, 0}};
  Adjacency next(1);
  std::vector<LotEdge> edges;
  // The list grows as it is read: a queue without a second container.
  for (size_t head = 0; head < walk.lots.size(); ++head) {
    const WalkedLot here = walk.lots[head];
    FH_RETURN_IF_ERROR(catalog.LotEdges(here.lot_id, options.direction, edges));
    if (here.depth >= options.max_depth) {
      walk.truncated = walk.truncated || !edges.empty();
      continue;
    }
    for (const LotEdge& e : edges) {
      ++walk.links;
      auto [it, fresh] = index_of.try_emplace(e.lot_id, static_cast<int32_t>(walk.lots.size()));
      if (fresh) {
        walk.lots.push_back({.lot_id = e.lot_id,
                             .depth = here.depth + 1,
                             .via = static_cast<int32_t>(head),
                             .quantity = e.quantity,
                             .work_order_id = e.work_order_id});
        next.emplace_back();
      }
      next[head].push_back(it->second);
    }
  }
  walk.cycles = FindCycles(walk, next);
  return Status();
}

}  // namespace

Result<LotWalk> WalkLots(Catalog& catalog, int64_t start, const WalkOptions& options) {
  LotWalk walk;
  FH_RETURN_IF_ERROR(catalog.InOneRead([&] { return Walk(catalog, start, options, walk); }));
  return walk;
}

std::vector<int32_t> PathTo(const LotWalk& walk, int32_t index) {
  std::vector<int32_t> path;
  for (int32_t i = index; i >= 0; i = walk.lots[i].via)
    path.push_back(i);
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace fh::analytics
