package io.memlock.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.EnumSet;
import java.util.Set;

/** {@code ms}: stores an item, in any mode, optionally comparing its CAS. */
public final class MetaSet extends MetaRequest {
  private static final Set<MetaStatus> ALLOWED =
      EnumSet.of(MetaStatus.HD, MetaStatus.NS, MetaStatus.EX, MetaStatus.NF);

  private final byte[] value;

  private MetaSet(Key key, byte[] value) {
    super("ms", key, ALLOWED);
    if (value == null) {
      throw new IllegalArgumentException("value is null");
    }
    this.value = value;
  }

  /**
   * Starts an {@code ms} request. The value is not copied.
   *
   * @param key the key
   * @param value the data block
   * @return the request
   */
  public static MetaSet of(Key key, byte[] value) {
    return new MetaSet(key, value);
  }

  /**
   * {@code M}: the storage mode.
   *
   * @param mode add, append, prepend, replace or set
   * @return this request
   */
  public MetaSet mode(SetMode mode) {
    flag('M', mode.letter());
    return this;
  }

  /**
   * {@code T}: the item's TTL in seconds (0 means never expire; above 30 days a Unix time).
   *
   * @param ttl the TTL
   * @return this request
   */
  public MetaSet ttl(long ttl) {
    flag('T', ttl);
    return this;
  }

  /**
   * {@code C}: store only if the item's CAS equals this.
   *
   * @param cas the expected CAS
   * @return this request
   */
  public MetaSet compareCas(long cas) {
    flag('C', cas);
    return this;
  }

  /**
   * {@code c}: return the new CAS on success.
   *
   * @return this request
   */
  public MetaSet returnCas() {
    flag('c');
    return this;
  }

  /**
   * {@code F}: the client flags stored with the item.
   *
   * @param flags a 32-bit unsigned number
   * @return this request
   */
  public MetaSet clientFlags(long flags) {
    if (flags < 0 || flags > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("client flags must be a 32-bit unsigned number: " + flags);
    }
    flag('F', flags);
    return this;
  }

  /**
   * {@code I}: with {@link #compareCas}, accept an older CAS and mark the item stale.
   *
   * @return this request
   */
  public MetaSet invalidate() {
    flag('I');
    return this;
  }

  /**
   * {@code k}: return the key.
   *
   * @return this request
   */
  public MetaSet returnKey() {
    flag('k');
    return this;
  }

  @Override
  public MetaSet quiet() {
    super.quiet();
    return this;
  }

  @Override
  public MetaSet opaque(String token) {
    super.opaque(token);
    return this;
  }

  @Override
  void encodeArguments(ByteBuf out) {
    out.writeByte(' ');
    ByteBufUtil.writeAscii(out, Integer.toString(value.length));
  }

  @Override
  void encodeData(ByteBuf out) {
    out.writeBytes(value);
    writeCrlf(out);
  }
}
