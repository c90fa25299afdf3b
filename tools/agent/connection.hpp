// The agent's MQTT connection: libmosquitto (Debian libmosquitto-dev) driven from the agent's own
// poll() loop, on the agent's one thread, beside its steps' pipes: no network thread, no locks.
// MQTT 3.1.1 with a clean session, QoS 1, plain TCP or TLS with an X.509 client certificate (AWS
// IoT's port 8883, or 443 with the ALPN protocol x-amzn-mqtt-ca). It connects as soon as it can:
// a first attempt that fails (no network yet, no broker yet) is tried again like a lost
// connection, after a backoff that doubles from `min_backoff` to `max_backoff`, with jitter, and
// starts again from `min_backoff` once a connection is up. Every (re)connection subscribes to
// the filters again, and says it is up only once the broker has granted them all.
#ifndef IOTJOBS_TOOLS_AGENT_CONNECTION_HPP
#define IOTJOBS_TOOLS_AGENT_CONNECTION_HPP

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct mosquitto;
struct mosquitto_message;

namespace agent {

using clock = std::chrono::steady_clock;

struct tls_options {
  std::string cafile;    // the CA that signed the broker's certificate
  std::string certfile;  // this device's certificate (PEM)
  std::string keyfile;   // and its private key
  std::string alpn;      // e.g. "x-amzn-mqtt-ca" for AWS IoT on port 443; "" for none
};

struct connection_options {
  std::string host;
  int port = 1883;
  std::string client_id;
  int keepalive_seconds = 60;  // AWS IoT takes 30-1200
  std::optional<tls_options> tls;
  std::chrono::milliseconds min_backoff = std::chrono::seconds(1);
  std::chrono::milliseconds max_backoff = std::chrono::seconds(60);
  std::uint64_t seed = 0;  // the backoff's jitter
};

/// What the connection tells its owner, on the owner's thread, from handle() and service().
struct connection_events {
  /// Up, and every filter granted: ask the service where things stand.
  std::function<void()> up;
  /// Down, or an attempt failed (`was_up` false): `why` says what happened (no route, the
  /// broker's refusal, a TLS error, a lost connection); the next attempt is in `retry_in`.
  std::function<void(const std::string& why, bool was_up, std::chrono::milliseconds retry_in)> down;
  std::function<void(std::string_view topic, std::string_view payload)> message;
  /// A filter the broker refused (an AWS IoT policy without iot:Subscribe on it, say).
  std::function<void(const std::string& filter)> refused;
};

class connection {
 public:
  /// Checks the options and starts the first attempt; nullptr (and `error` says why) when
  /// libmosquitto refuses them (a certificate file it cannot read, say).
  static std::unique_ptr<connection> create(const connection_options& options,
                                            std::vector<std::string> filters,
                                            connection_events events, std::string& error);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// The socket to poll (-1 while there is none), and whether to poll it for output too.
  int socket() const;
  bool wants_write() const;
  /// After poll() said the socket is ready for input and/or output, or hung up (POLLHUP or
  /// POLLERR).
  void handle(bool readable, bool writable, bool hung_up, clock::time_point now);
  /// Keepalive pings, and the next attempt to connect once its time has come. Call it at
  /// next_service() at the latest.
  void service(clock::time_point now);
  clock::time_point next_service(clock::time_point now) const;

  bool is_up() const noexcept { return up_; }
  /// Publishes with QoS 1; false when the connection is down (the runner sends again).
  bool publish(std::string_view topic, std::string_view payload);
  /// Sends DISCONNECT and flushes what can be sent without waiting.
  void close();

 private:
  connection(const connection_options& options, std::vector<std::string> filters,
             connection_events events);
  static void on_connect(struct mosquitto*, void* self, int rc);
  static void on_disconnect(struct mosquitto*, void* self, int rc);
  static void on_message(struct mosquitto*, void* self, const struct mosquitto_message* m);
  static void on_subscribe(struct mosquitto*, void* self, int mid, int count, const int* qos);
  static void on_log(struct mosquitto*, void* self, int level, const char* text);
  void deliver();
  bool tls_pending() const;
  // A failure of libmosquitto's (rc): the connection is down, and tried again later.
  void lost(int rc, clock::time_point now);
  void schedule(clock::time_point now);

  connection_options options_;
  std::vector<std::string> filters_;
  connection_events events_;
  struct mosquitto* mosq_ = nullptr;
  bool up_ = false;          // CONNACK accepted and every filter granted
  bool attached_ = false;    // a socket exists (connecting or connected)
  std::size_t granted_ = 0;  // SUBACKs of this connection
  std::vector<int> subscription_ids_;
  std::optional<clock::time_point> retry_at_;
  std::chrono::milliseconds backoff_;
  std::uint64_t random_;
  std::string refusal_;    // why the broker refused the last CONNECT
  std::string log_error_;  // libmosquitto's first error of this attempt
  // Recorded by the callbacks, for deliver().
  std::deque<std::pair<std::string, std::string>> inbox_;  // topic, payload
  std::vector<std::string> refused_;
  bool became_up_ = false;
  bool closing_ = false;
};

}  // namespace agent

#endif  // IOTJOBS_TOOLS_AGENT_CONNECTION_HPP
