// What the emulator, the device agent and the demo need from an MQTT client, and two clients
// that provide it: an in-process broker (loopback.hpp) and libmosquitto (mosquitto.hpp). Code
// written against mqtt_transport runs unchanged over either.
#ifndef IOTJOBS_TOOLS_MQTT_TRANSPORT_HPP
#define IOTJOBS_TOOLS_MQTT_TRANSPORT_HPP

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace iotjobs_mqtt {

class transport {
 public:
  using handler = std::function<void(std::string_view topic, std::string_view payload)>;

  virtual ~transport() = default;

  /// Subscribes with QoS 1. Subscriptions are kept across reconnects.
  virtual bool subscribe(std::string_view filter) = 0;
  /// Waits until every subscription made so far is in effect (acknowledged by the broker).
  virtual bool wait_subscribed(std::chrono::milliseconds timeout) = 0;
  /// Publishes with QoS 1. What is published while the connection is down may be lost: callers
  /// send again after reconnected() (the device agent does).
  virtual bool publish(std::string_view topic, std::string_view payload) = 0;
  /// Waits up to `timeout` for messages, then hands every one that has arrived to `on_message`
  /// on the calling thread. Returns how many there were.
  virtual std::size_t poll(std::chrono::milliseconds timeout, const handler& on_message) = 0;
  /// Whether the client has connected again since the last call (after a broker restart, say):
  /// messages may have been missed, so the caller should ask again for what it waits for.
  virtual bool reconnected() = 0;
};

/// The messages a client has received and not yet handed over: filled by a network thread (or
/// the in-process broker), emptied by poll() on the caller's.
class inbox {
 public:
  void push(std::string_view topic, std::string_view payload) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.emplace_back(topic, payload);
    arrived_.notify_one();
  }
  std::size_t drain(std::chrono::milliseconds timeout, const transport::handler& on_message) {
    std::deque<std::pair<std::string, std::string>> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      arrived_.wait_for(lock, timeout, [&] { return !queue_.empty(); });
      batch.swap(queue_);
    }
    for (const auto& [topic, payload] : batch)
      on_message(topic, payload);
    return batch.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::pair<std::string, std::string>> queue_;
};

/// MQTT topic matching (MQTT 3.1.1 §4.7): `+` matches one level, a final `#` the rest and the
/// parent level; neither matches a first level starting with `$`.
constexpr bool topic_matches(std::string_view filter, std::string_view topic) noexcept {
  if (!topic.empty() && topic[0] == '$' && !filter.empty() &&
      (filter[0] == '+' || filter[0] == '#'))
    return false;
  for (;;) {
    const std::size_t f_end = filter.find('/');
    const std::string_view f = filter.substr(0, f_end);
    if (f == "#") return true;
    const std::size_t t_end = topic.find('/');
    if (f != "+" && f != topic.substr(0, t_end)) return false;
    if (t_end == std::string_view::npos)
      return f_end == std::string_view::npos || filter.substr(f_end + 1) == "#";
    if (f_end == std::string_view::npos) return false;
    filter.remove_prefix(f_end + 1);
    topic.remove_prefix(t_end + 1);
  }
}

}  // namespace iotjobs_mqtt

#endif  // IOTJOBS_TOOLS_MQTT_TRANSPORT_HPP
