package io.memlock.protocol;

import java.util.EnumSet;
import java.util.Set;

/** {@code mg}: reads an item's value and metadata, and can touch or vivify it. */
public final class MetaGet extends MetaRequest {
  private static final Set<MetaStatus> ALLOWED =
      EnumSet.of(MetaStatus.VA, MetaStatus.HD, MetaStatus.EN);

  private static final MetaResponse QUIET_MISS =
      new MetaResponse(MetaStatus.EN, new String[0], null);

  private MetaGet(Key key) {
    super("mg", key, ALLOWED);
  }

  /**
   * Starts an {@code mg} request.
   *
   * @param key the key
   * @return the request
   */
  public static MetaGet of(Key key) {
    return new MetaGet(key);
  }

  /**
   * {@code v}: return the value.
   *
   * @return this request
   */
  public MetaGet returnValue() {
    flag('v');
    return this;
  }

  /**
   * {@code c}: return the CAS value.
   *
   * @return this request
   */
  public MetaGet returnCas() {
    flag('c');
    return this;
  }

  /**
   * {@code t}: return the remaining TTL in seconds (-1 for never).
   *
   * @return this request
   */
  public MetaGet returnTtl() {
    flag('t');
    return this;
  }

  /**
   * {@code f}: return the client flags stored with the item ({@code f0} for an item stored without
   * any, such as one created by {@link #vivify}).
   *
   * @return this request
   */
  public MetaGet returnClientFlags() {
    flag('f');
    return this;
  }

  /**
   * {@code k}: return the key.
   *
   * @return this request
   */
  public MetaGet returnKey() {
    flag('k');
    return this;
  }

  /**
   * {@code s}: return the item size.
   *
   * @return this request
   */
  public MetaGet returnSize() {
    flag('s');
    return this;
  }

  /**
   * {@code T}: update the remaining TTL on a hit. memcached touches even when a CAS compare would
   * fail, so never renew a lock with this.
   *
   * @param ttl the new TTL in seconds
   * @return this request
   */
  public MetaGet touch(long ttl) {
    flag('T', ttl);
    return this;
  }

  /**
   * {@code N}: on a miss, create an empty item with this TTL and answer with the win flag {@code
   * W}.
   *
   * @param ttl TTL of the created item in seconds
   * @return this request
   */
  public MetaGet vivify(long ttl) {
    flag('N', ttl);
    return this;
  }

  /**
   * {@code R}: win the recache flag when the remaining TTL is below this.
   *
   * @param ttl the threshold in seconds
   * @return this request
   */
  public MetaGet recacheBelow(long ttl) {
    flag('R', ttl);
    return this;
  }

  /**
   * {@code u}: do not bump the item in the LRU.
   *
   * @return this request
   */
  public MetaGet noBump() {
    flag('u');
    return this;
  }

  @Override
  public MetaGet quiet() {
    super.quiet();
    return this;
  }

  @Override
  public MetaGet opaque(String token) {
    super.opaque(token);
    return this;
  }

  /** A quiet {@code mg} is silent on a miss, so silence means {@link MetaStatus#EN}. */
  @Override
  public MetaResponse quietResult() {
    super.quietResult();
    return QUIET_MISS;
  }
}
