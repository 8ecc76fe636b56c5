package io.memlock.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The remembered keys are the keys of the family they wrap, and memory stays bounded. */
class CachedKeysTest {
  private final LockKeys plain = new LockKeys("ns");
  private final CachedKeys cached = new CachedKeys(plain);

  @Test
  void theSameKeysAsTheFamilyForEveryKindOfName() {
    for (String name : new String[] {"orders", "with space", "ünïcode", "x".repeat(400)}) {
      assertThat(cached.lockKey(name)).isEqualTo(plain.lockKey(name));
      assertThat(cached.fenceKey(name)).isEqualTo(plain.fenceKey(name));
      assertThat(cached.waiterKey(name)).isEqualTo(plain.waiterKey(name));
      assertThat(cached.placementKey(name)).isEqualTo(plain.placementKey(name));
      assertThat(cached.lockKey(name)).isSameAs(cached.lockKey(name));
    }
  }

  @Test
  void synchronizerItemsKeepTheirPlacementOnTheHomeServer() {
    SyncKeys sync = new SyncKeys(plain);
    CachedKeys c = new CachedKeys(sync);
    for (String item :
        new String[] {
          SyncKeys.permitItem("sem", 3), SyncKeys.readItem("rw", 5), SyncKeys.writeItem("rw")
        }) {
      assertThat(c.lockKey(item)).isEqualTo(sync.lockKey(item));
      assertThat(c.fenceKey(item)).isEqualTo(sync.fenceKey(item));
      assertThat(c.waiterKey(item)).isEqualTo(sync.waiterKey(item));
      assertThat(c.placementKey(item)).isEqualTo(sync.placementKey(item));
    }
  }

  @Test
  void moreNamesThanItRemembersStillGetTheirOwnKeys() {
    for (int i = 0; i <= CachedKeys.MAX_NAMES * 2; i++) {
      assertThat(cached.lockKey("n" + i)).isEqualTo(plain.lockKey("n" + i));
    }
    assertThat(cached.fenceKey("n0")).isEqualTo(plain.fenceKey("n0"));
  }

  @Test
  void badNamesAreRefusedAsBefore() {
    assertThatThrownBy(() -> cached.lockKey("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cached.lockKey("\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lone surrogate");
  }
}
