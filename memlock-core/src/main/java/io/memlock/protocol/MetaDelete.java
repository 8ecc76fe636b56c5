package io.memlock.protocol;

import java.util.EnumSet;
import java.util.Set;

/** {@code md}: deletes an item, or marks it stale, optionally comparing its CAS. */
public final class MetaDelete extends MetaRequest {
  private static final Set<MetaStatus> ALLOWED =
      EnumSet.of(MetaStatus.HD, MetaStatus.NF, MetaStatus.EX);

  private MetaDelete(Key key) {
    super("md", key, ALLOWED);
  }

  /**
   * Starts an {@code md} request.
   *
   * @param key the key
   * @return the request
   */
  public static MetaDelete of(Key key) {
    return new MetaDelete(key);
  }

  /**
   * {@code C}: delete only if the item's CAS equals this.
   *
   * @param cas the expected CAS
   * @return this request
   */
  public MetaDelete compareCas(long cas) {
    flag('C', cas);
    return this;
  }

  /**
   * {@code I}: mark the item stale and bump its CAS instead of removing it.
   *
   * @return this request
   */
  public MetaDelete invalidate() {
    flag('I');
    return this;
  }

  /**
   * {@code T}: with {@link #invalidate}, the stale item's new TTL.
   *
   * @param ttl TTL in seconds
   * @return this request
   */
  public MetaDelete ttl(long ttl) {
    flag('T', ttl);
    return this;
  }

  /**
   * {@code k}: return the key.
   *
   * @return this request
   */
  public MetaDelete returnKey() {
    flag('k');
    return this;
  }

  @Override
  public MetaDelete quiet() {
    super.quiet();
    return this;
  }

  @Override
  public MetaDelete opaque(String token) {
    super.opaque(token);
    return this;
  }
}
