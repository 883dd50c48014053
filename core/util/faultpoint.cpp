#include "util/faultpoint.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stemship {
namespace {

struct Directive {
    std::string action;  // "pause" or "throw"
    std::string stage;
};

struct FaultPlan {
    static constexpr std::size_t kMaxDirectives = 8;
    Directive directives[kMaxDirectives];
    std::atomic<bool> held[kMaxDirectives] = {};
    std::size_t count = 0;
    std::string marker;
};

void parse(FaultPlan &out)
{
    const char *fault = std::getenv("STEMSHIP_FAULT");
    std::string rest = fault ? fault : "";
    while (!rest.empty() && out.count < FaultPlan::kMaxDirectives) {
        const std::size_t comma = rest.find(',');
        const std::string item = rest.substr(0, comma);
        rest = comma == std::string::npos ? std::string() : rest.substr(comma + 1);
        if (const std::size_t at = item.find('@'); at != std::string::npos)
            out.directives[out.count++] = {item.substr(0, at), item.substr(at + 1)};
    }
    if (const char *marker = std::getenv("STEMSHIP_FAULT_MARKER"))
        out.marker = marker;
}

// Read once, on first use (a thread-safe static).
FaultPlan &plan()
{
    static FaultPlan p;
    static const bool parsed = (parse(p), true);
    (void)parsed;
    return p;
}

void holdWhileMarkerExists(const std::string &marker)
{
    const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        ::close(fd);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    struct stat st {};
    while (::stat(marker.c_str(), &st) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

}  // namespace

void faultPoint(const char *stage)
{
    FaultPlan &p = plan();
    for (std::size_t i = 0; i < p.count; ++i) {
        const Directive &d = p.directives[i];
        if (d.stage != stage)
            continue;
        if (d.action == "throw")
            throw std::runtime_error(std::string("injected fault at ") + stage);
        if (d.action == "pause" && !p.marker.empty() && !p.held[i].exchange(true))
            holdWhileMarkerExists(p.marker);
    }
}

}  // namespace stemship
