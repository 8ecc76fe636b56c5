package io.memlock.protocol;

import io.memlock.MemcachedProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code stats [group]}: the server's statistics as name/value pairs. */
public final class Stats extends Request<Map<String, String>> {
  private final @Nullable String group;

  private Stats(@Nullable String group) {

    this.group = group;
  }

  /**
   * The general statistics ({@code stats}).
   *
   * @return the request
   */
  public static Stats general() {
    return new Stats(null);
  }

  /**
   * A statistics group, such as {@code settings} ({@code stats settings}).
   *
   * @param group one word of letters
   * @return the request
   * @throws IllegalArgumentException if the group is not one word of letters
   */
  public static Stats group(String group) {
    if (group == null || !group.matches("[a-z_]{1,32}")) {
      throw new IllegalArgumentException("stats group must be a lowercase word: " + group);
    }
    return new Stats(group);
  }

  @Override
  public void encode(ByteBuf out, @Nullable String opaque) {
    ByteBufUtil.writeAscii(out, group == null ? "stats\r\n" : "stats " + group + "\r\n");
  }

  @Override
  public Map<String, String> convert(Object reply) {
    if (reply instanceof StatsReply s) {
      return s.stats();
    }
    throw new MemcachedProtocolException("reply '" + reply + "' cannot answer " + name());
  }

  @Override
  public String name() {
    return group == null ? "stats" : "stats " + group;
  }
}
