// An MQTT client over libmosquitto (Debian libmosquitto-dev): QoS 1, a clean session, and a
// network thread of libmosquitto's that reconnects by itself (1-2 s apart) and subscribes again
// every time it does. Messages wait in a queue until poll() hands them over.
#ifndef IOTJOBS_TOOLS_MQTT_MOSQUITTO_HPP
#define IOTJOBS_TOOLS_MQTT_MOSQUITTO_HPP

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "transport.hpp"

struct mosquitto;
struct mosquitto_message;

namespace iotjobs_mqtt {

class mosquitto_client final : public transport {
 public:
  /// Starts connecting to host:port; nullptr (and `error` says why) when libmosquitto refuses the
  /// parameters. A broker that is not up yet is retried until it is.
  static std::unique_ptr<mosquitto_client> connect(const std::string& host, int port,
                                                   const std::string& client_id,
                                                   std::string& error);
  ~mosquitto_client() override;

  /// Waits until the client is connected; false after `timeout`.
  bool wait_connected(std::chrono::milliseconds timeout);

  bool subscribe(std::string_view filter) override;
  bool wait_subscribed(std::chrono::milliseconds timeout) override;
  bool publish(std::string_view topic, std::string_view payload) override;
  std::size_t poll(std::chrono::milliseconds timeout, const handler& on_message) override;
  bool reconnected() override;

 private:
  mosquitto_client() = default;
  static void on_connect(struct mosquitto*, void* self, int rc);
  static void on_disconnect(struct mosquitto*, void* self, int rc);
  static void on_message(struct mosquitto*, void* self, const struct mosquitto_message* m);
  static void on_subscribe(struct mosquitto*, void* self, int mid, int count, const int* qos);

  struct mosquitto* mosq_ = nullptr;
  std::mutex mutex_;  // what follows, but inbox_
  std::condition_variable changed_;
  std::vector<std::string> filters_;
  bool connected_ = false;
  int connections_ = 0;
  bool reconnected_ = false;
  std::size_t acknowledged_ = 0;  // subscriptions of this connection the broker acknowledged
  inbox inbox_;
};

}  // namespace iotjobs_mqtt

#endif  // IOTJOBS_TOOLS_MQTT_MOSQUITTO_HPP
