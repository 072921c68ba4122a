package lifeboat.activities.retention;

import java.util.List;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.wal.ArchiveState;
import lifeboat.activities.wal.WalArchive;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.model.WalPrune;

/**
 * The WAL half of retention: archive objects of segments older than the oldest kept base backup's first segment,
 * on any timeline, are what no kept backup can replay. History files stay (they are tiny and name the
 * timelines). Oldest first, so a deletion stopped half-way leaves a contiguous archive.
 */
final class WalRetention {
  private WalRetention() {}

  static WalPrune prune(Repository repo, String database, String keepFrom, boolean dryRun) {
    ArchiveState state = ArchiveState.read(repo, database);
    if (state == null) {
      return new WalPrune(keepFrom, null, null, 0, dryRun);
    }
    long size = state.segmentSize();
    long cut = WalNames.parse(keepFrom, size).number();
    List<WalArchive.Entry> old = new WalArchive(repo, database, List.of(), 1).list().stream()
        .filter(e -> e.isSegment() || e.partialOf() != null)
        .filter(e -> WalNames.parse(e.isSegment() ? e.name() : e.partialOf(), size).number() < cut)
        .sorted(java.util.Comparator.comparing((WalArchive.Entry e) -> segmentOf(e).substring(8)))
        .toList();
    if (!dryRun) {
      for (WalArchive.Entry e : old) {
        repo.remove(e.key());
      }
    }
    return new WalPrune(keepFrom, old.isEmpty() ? null : segmentOf(old.get(0)),
        old.isEmpty() ? null : segmentOf(old.get(old.size() - 1)), old.size(), dryRun);
  }

  private static String segmentOf(WalArchive.Entry e) {
    return e.isSegment() ? e.name() : e.partialOf();
  }
}
