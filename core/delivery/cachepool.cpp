#include "delivery/cachepool.h"

#include <QFile>

namespace stemship::delivery {

void CachePool::recycle(const QString &cachePath)
{
    const std::lock_guard lock(m_mutex);
    if (m_unstarted > 0) {
        const QString spare = m_work.filePath(QStringLiteral("spare-%1.f32").arg(m_named++));
        if (QFile::rename(cachePath, spare)) {
            m_spares.append(spare);
            return;
        }
    }
    QFile::remove(cachePath);
}

void CachePool::adopt(const QString &cachePath)
{
    const std::lock_guard lock(m_mutex);
    if (m_unstarted > 0)
        --m_unstarted;
    // A spare that cannot be renamed is dropped: pass 1 then creates its cache afresh.
    while (!m_spares.isEmpty() && !QFile::rename(m_spares.takeLast(), cachePath)) {
    }
    if (m_unstarted > 0)
        return;
    for (const QString &spare : std::as_const(m_spares))
        QFile::remove(spare);
    m_spares.clear();
}

}  // namespace stemship::delivery
