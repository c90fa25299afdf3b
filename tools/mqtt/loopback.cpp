#include "loopback.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <string>
#include <utility>

namespace iotjobs_mqtt {

class loopback_client final : public transport {
 public:
  explicit loopback_client(loopback_broker& broker) : broker_(broker) {}
  ~loopback_client() override { broker_.leave(this); }

  bool subscribe(std::string_view filter) override {
    std::lock_guard<std::mutex> lock(mutex_);
    filters_.emplace_back(filter);
    return true;
  }

  bool wait_subscribed(std::chrono::milliseconds) override { return true; }  // at once

  bool publish(std::string_view topic, std::string_view payload) override {
    broker_.deliver(topic, payload);
    return true;
  }

  std::size_t poll(std::chrono::milliseconds timeout, const handler& on_message) override {
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

  bool reconnected() override { return false; }  // never disconnected

  // From the broker, under its lock.
  void offer(std::string_view topic, std::string_view payload) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& f : filters_) {
      if (topic_matches(f, topic)) {
        queue_.emplace_back(topic, payload);
        arrived_.notify_one();
        return;  // one copy, however many filters match
      }
    }
  }

 private:
  loopback_broker& broker_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> filters_;
  std::deque<std::pair<std::string, std::string>> queue_;
};

std::unique_ptr<transport> loopback_broker::connect() {
  auto c = std::make_unique<loopback_client>(*this);
  std::lock_guard<std::mutex> lock(mutex_);
  clients_.push_back(c.get());
  return c;
}

void loopback_broker::deliver(std::string_view topic, std::string_view payload) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (loopback_client* c : clients_)
    c->offer(topic, payload);
}

void loopback_broker::leave(loopback_client* c) {
  std::lock_guard<std::mutex> lock(mutex_);
  clients_.erase(std::remove(clients_.begin(), clients_.end(), c), clients_.end());
}

}  // namespace iotjobs_mqtt
