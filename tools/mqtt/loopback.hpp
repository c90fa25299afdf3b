// An MQTT broker inside the process: clients publish and subscribe through it as they would
// through mosquitto, each with its own queue, from any thread. For the demo, the tests and any
// program that wants the emulator and devices without a network.
#ifndef IOTJOBS_TOOLS_MQTT_LOOPBACK_HPP
#define IOTJOBS_TOOLS_MQTT_LOOPBACK_HPP

#include <memory>
#include <mutex>
#include <vector>

#include "transport.hpp"

namespace iotjobs_mqtt {

class loopback_client;

/// Lifetime: the broker must outlive its clients.
class loopback_broker {
 public:
  std::unique_ptr<transport> connect();

 private:
  friend class loopback_client;
  void deliver(std::string_view topic, std::string_view payload);
  void leave(loopback_client* c);

  std::mutex mutex_;
  std::vector<loopback_client*> clients_;
};

}  // namespace iotjobs_mqtt

#endif  // IOTJOBS_TOOLS_MQTT_LOOPBACK_HPP
