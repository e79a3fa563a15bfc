// Runs in: the Electron main process.
// The ports of src/main/ports.ts implemented with Electron: the window, native
// notifications, the tray and the dock/taskbar badge. Thin on purpose; the decisions
// are made in the pure modules that use these.
import path from 'node:path';
import { app, Menu, nativeImage, Notification, type BrowserWindow, type MenuItemConstructorOptions, type Tray } from 'electron';
import type { BadgePort, NotificationPort, TrayPort, WindowPort } from './ports.js';
import type { TrayAction, TrayMenuItem } from './trayMenu.js';
import type { TrayIconName } from './unread.js';

export function windowPort(browserWindow: BrowserWindow): WindowPort {
  return {
    reveal() {
      if (browserWindow.isDestroyed()) return;
      if (browserWindow.isMinimized()) browserWindow.restore();
      browserWindow.show();
      browserWindow.focus();
    },
    hide() {
      if (!browserWindow.isDestroyed()) browserWindow.hide();
    },
    isAttentive() {
      return !browserWindow.isDestroyed() && browserWindow.isVisible() && !browserWindow.isMinimized() && browserWindow.isFocused();
    },
    send(channel, ...args) {
      if (browserWindow.isDestroyed() || browserWindow.webContents.isDestroyed()) return;
      browserWindow.webContents.send(channel, ...args);
    },
  };
}

export function notificationPort(icon: string): NotificationPort {
  return {
    isSupported: () => Notification.isSupported(),
    create({ title, body }) {
      const notification = new Notification({ title, body, icon });
      return {
        onClick: (listener) => notification.on('click', listener),
        onClose: (listener) => notification.on('close', listener),
        show: () => notification.show(),
      };
    },
  };
}

export function trayIconPath(resourcesDir: string, icon: TrayIconName): string {
  return path.join(resourcesDir, 'tray', `${icon}.png`);
}

export function trayPort(tray: Tray, resourcesDir: string, onAction: (action: TrayAction) => void): TrayPort {
  return {
    setImage: (icon) => tray.setImage(nativeImage.createFromPath(trayIconPath(resourcesDir, icon))),
    setToolTip: (text) => tray.setToolTip(text),
    setMenu(items: TrayMenuItem[]) {
      const template = items.map((item): MenuItemConstructorOptions => {
        if (item.kind === 'separator') return { type: 'separator' };
        if (item.kind === 'note') return { label: item.label, enabled: false };
        return { label: item.label, click: () => onAction(item.action) };
      });
      tray.setContextMenu(Menu.buildFromTemplate(template));
    },
  };
}

/**
 * app.setBadgeCount works on macOS and on Linux launchers that support it (Unity, KDE);
 * Windows has no badge count, so the taskbar button gets the numbered tray icon as overlay.
 */
export function badgePort(browserWindow: BrowserWindow, resourcesDir: string, platform: NodeJS.Platform): BadgePort {
  return {
    setCount(count) {
      if (platform === 'win32') {
        if (browserWindow.isDestroyed()) return;
        const icon = count <= 0 ? null : nativeImage.createFromPath(trayIconPath(resourcesDir, count > 9 ? 'tray-9plus' : (`tray-${count}` as TrayIconName)));
        browserWindow.setOverlayIcon(icon, count <= 0 ? '' : `${count} unread`);
        return;
      }
      app.setBadgeCount(count);
    },
  };
}
